/* 语音朗读: the page's title, then its body, sentence by sentence, with the browser's own speech synthesis
   (a zh-CN voice, else another Chinese one). Fetched by site.js on the first press of 朗读; nothing here runs
   before. The sentence being read is highlighted (the CSS Custom Highlight API, else a class on its paragraph),
   and each change of state is said in the group's live region for screen readers.

   Buttons: 朗读 starts, then reads 暂停 / 继续; 停止 ends and goes back to the start. */

const ENDS = /[^。！？!?；;…]+(?:[。！？!?；;…]+[”’」』）)]*|$)/g;  // a sentence and its closing marks
const BLOCKS = "p, li, h2, h3, h4, h5, h6, th, td, dt, dd, figcaption";
const HIGHLIGHT = "pub-aloud";

function chineseVoice(synth) {
  const voices = synth.getVoices() || [];
  return voices.find((v) => /^zh[-_]CN$/i.test(v.lang)) || voices.find((v) => /^zh([-_]|$)/i.test(v.lang)) || null;
}

/* The text nodes of a block and where each sentence lies in them: [{text, range, block}]. */
function sentencesOf(block) {
  const nodes = [], walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push({ node, start: text.length });
    text += node.data;
  }
  const at = (offset) => {
    let found = nodes[0];
    for (const entry of nodes) if (entry.start <= offset) found = entry;
    return [found.node, Math.min(offset - found.start, found.node.data.length)];
  };
  const found = [];
  for (const match of text.matchAll(ENDS)) {
    const said = match[0].trim();
    if (!said || !/[\p{L}\p{N}]/u.test(said)) continue;
    const lead = match[0].length - match[0].trimStart().length;
    const range = document.createRange();
    range.setStart(...at(match.index + lead));
    range.setEnd(...at(match.index + lead + said.length));
    found.push({ text: said, range, block });
  }
  return found;
}

function collect() {
  const title = document.querySelector(".md-content h1");
  const body = document.querySelector("[data-pub-body]");
  const blocks = body ? [...body.querySelectorAll(BLOCKS)].filter((b) => !b.querySelector(BLOCKS)) : [];
  return [title, ...blocks].filter(Boolean).flatMap(sentencesOf);
}

class Reader {
  constructor(box) {
    this.box = box;
    this.synth = window.speechSynthesis;
    this.play = box.querySelector("[data-pub-aloud-play]");
    this.stopButton = box.querySelector("[data-pub-aloud-stop]");
    this.status = box.querySelector("[data-pub-aloud-status]");
    this.state = "idle";
    this.turn = 0;  // each start or stop begins a new turn: callbacks of an earlier one are ignored
  }

  press(button) {
    if (button === this.stopButton) this.stop("已停止朗读");
    else if (this.state === "idle") this.start();
    else if (this.state === "playing") this.pause();
    else this.resume();
  }

  start() {
    this.sentences = collect();
    this.voice = chineseVoice(this.synth);
    this.synth.cancel();
    this.turn += 1;
    this.set("playing", "暂停", "开始朗读");
    this.speak(0, this.turn);
  }

  speak(index, turn) {
    if (turn !== this.turn) return;
    const sentence = this.sentences[index];
    if (!sentence) { this.stop("朗读结束"); return; }
    this.mark(sentence);
    const utterance = new SpeechSynthesisUtterance(sentence.text);
    utterance.lang = this.voice ? this.voice.lang : "zh-CN";
    if (this.voice) utterance.voice = this.voice;
    utterance.onend = () => this.speak(index + 1, turn);
    utterance.onerror = (event) => {
      if (event && (event.error === "interrupted" || event.error === "canceled")) return;
      this.speak(index + 1, turn);  // one sentence that cannot be said does not end the reading
    };
    this.synth.speak(utterance);
  }

  pause() {
    this.synth.pause();
    this.set("paused", "继续", "已暂停");
  }

  resume() {
    this.synth.resume();
    this.set("playing", "暂停", "继续朗读");
  }

  stop(message) {
    this.turn += 1;
    this.synth.cancel();
    this.mark(null);
    const hadFocus = this.stopButton === document.activeElement;
    this.set("idle", "朗读", message);
    if (hadFocus) this.play.focus();  // the stop button hides: keep the keyboard's place
  }

  set(state, label, message) {
    this.state = state;
    this.play.textContent = label;
    this.stopButton.hidden = state === "idle";
    this.box.setAttribute("data-pub-aloud-state", state);
    this.status.textContent = message;
  }

  mark(sentence) {
    if (window.CSS && CSS.highlights && window.Highlight) {
      if (sentence) CSS.highlights.set(HIGHLIGHT, new Highlight(sentence.range));
      else CSS.highlights.delete(HIGHLIGHT);
    }
    document.querySelectorAll(".pub-aloud-now").forEach((el) => el.classList.remove("pub-aloud-now"));
    if (sentence) {
      sentence.block.classList.add("pub-aloud-now");
      const box = sentence.block.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) sentence.block.scrollIntoView({ block: "center" });
    }
  }
}

export function start(box) {
  return new Reader(box);
}
