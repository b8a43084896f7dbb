import { Items } from "./Items";
import { WordCount } from "./WordCount";

export function App() {
  return (
    <main>
      <h1>Demo</h1>
      <Items />
      <WordCount />
    </main>
  );
}
