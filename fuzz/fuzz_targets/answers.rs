//! Answers files and a project's records: `--answers FILE` (an
//! `AnswerMap`), `.scaffold/answers.yaml` (an `AnswersRecord`) and
//! `.scaffold/lock.yaml` (a `Lock`, then `validate`). Each must parse to
//! `Ok` or `Err`, never panic; an error names the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scaffold::answers::AnswerMap;
use scaffold::record::{AnswersRecord, Lock};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match scaffold::yaml::parse::<AnswerMap>("answers.yaml", text) {
        Ok(map) => {
            let _ = map.flatten();
        }
        Err(e) => assert!(e.to_string().starts_with("answers.yaml")),
    }
    let _ = scaffold::yaml::parse::<AnswersRecord>(".scaffold/answers.yaml", text);
    if let Ok(lock) = scaffold::yaml::parse::<Lock>(".scaffold/lock.yaml", text) {
        let _ = lock.validate();
    }
});
