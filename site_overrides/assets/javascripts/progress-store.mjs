// progress-store.mjs: the case library's progress in localStorage (for this browser only; never
// sent anywhere), read against its schema and written with a report when it cannot be.
//
// Stored under STORE_KEY: {version: 1, cases: {<case id>: record}}, where a record is
//   {answers: {<question number>: [choice, ...]}, right: {<question number>: boolean},
//    answered, score, total: whole numbers, done: boolean}
// Anything else (an older format, a hand-edited value such as {"answered": {"toString": 1}})
// is discarded as a whole when read, and `problem` says so once, for the page to show. A write
// that fails (storage full or turned off) also sets `problem`: progress is not being saved.

export const STORE_KEY = "htf-cases-progress";
const STORE_VERSION = 1;

const isPlainObject = (value) =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;
const isCount = (value) => Number.isSafeInteger(value) && value >= 0;

export let problem = ""; // a sentence for people, or ""

function validRecord(record) {
  if (!isPlainObject(record) || !isPlainObject(record.answers) || !isPlainObject(record.right)) {
    return false;
  }
  const keys = Object.keys(record).sort().join(",");
  if (keys !== "answered,answers,done,right,score,total") return false;
  const answersOK = Object.entries(record.answers).every(
    ([number, values]) =>
      /^\d{1,3}$/.test(number) &&
      Array.isArray(values) &&
      values.length <= 50 &&
      values.every((value) => typeof value === "string" && value.length <= 200),
  );
  const rightOK = Object.entries(record.right).every(
    ([number, value]) => /^\d{1,3}$/.test(number) && typeof value === "boolean",
  );
  return (
    answersOK &&
    rightOK &&
    isCount(record.answered) &&
    isCount(record.score) &&
    isCount(record.total) &&
    record.score <= record.answered &&
    record.answered <= record.total &&
    typeof record.done === "boolean"
  );
}

function validStore(data) {
  return (
    isPlainObject(data) &&
    data.version === STORE_VERSION &&
    isPlainObject(data.cases) &&
    Object.entries(data.cases).every(
      ([id, record]) => /^[a-z0-9-]{1,100}$/.test(id) && validRecord(record),
    )
  );
}

function emptyStore() {
  return { version: STORE_VERSION, cases: {} };
}

/** The stored progress; an empty store if there is none, or if what is there does not match the
 *  schema (then it is removed and `problem` says so). */
export function readStore() {
  let text;
  try {
    text = localStorage.getItem(STORE_KEY);
  } catch {
    return emptyStore(); // storage turned off: nothing was kept
  }
  if (text === null) return emptyStore();
  try {
    const data = JSON.parse(text);
    if (validStore(data)) return data;
  } catch {
    // not JSON: discarded below
  }
  problem =
    "Progress saved in this browser was not in the expected form and has been discarded.";
  try {
    localStorage.removeItem(STORE_KEY);
  } catch {
    // nothing more to do
  }
  return emptyStore();
}

function writeStore(store) {
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(store));
    return true;
  } catch {
    problem =
      "Your progress is not being saved: this browser's storage is full or turned off.";
    return false;
  }
}

export function caseRecord(id) {
  return Object.hasOwn(readStore().cases, id) ? readStore().cases[id] : null;
}

/** Save one case's record; false (and `problem` set) if it could not be saved. */
export function saveRecord(id, record) {
  const store = readStore();
  store.cases[id] = record;
  return writeStore(store);
}

export function forgetCase(id) {
  const store = readStore();
  delete store.cases[id];
  writeStore(store);
}

export function forgetAll() {
  try {
    localStorage.removeItem(STORE_KEY);
  } catch {
    // nothing stored
  }
}

/** Put back cases' records taken from readStore() before a reset (the undo of a reset); records
 *  saved since are kept. False (and `problem` set) if they could not be saved. */
export function restoreCases(cases) {
  const store = readStore();
  const restored = { version: store.version, cases: { ...cases, ...store.cases } };
  if (!validStore(restored)) return false;
  return writeStore(restored);
}

/** The current problem, once: the page shows it, then it is cleared. */
export function takeProblem() {
  const text = problem;
  problem = "";
  return text;
}
