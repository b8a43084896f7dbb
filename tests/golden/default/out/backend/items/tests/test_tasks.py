from items.tasks import count_words


def test_words_are_counted():
    assert count_words("one two  three") == 3


def test_a_task_runs_on_a_real_worker(worker_process):
    """A round trip: Redis carries the task to a worker process and the result back."""
    result = count_words.apply_async(args=["to the worker and back"], queue=worker_process.queue)
    assert worker_process.result(result) == 5
