// Why a visitor's upload is refused, as vae/foreign.py says it (ImportRefused): what was found, what was
// expected, what to do; with the advice both the file reader (safetensors.js) and the model check (statedict.js)
// give, and `shown`, how a value from the untrusted file is quoted in a message.

export const SAVE_STATE_DICT = 'Save the weights alone: `torch.save(model.state_dict(), "vae.pth")`.';
export const CONVERT =
  "Convert a .pth you trust to safetensors first: `from safetensors.torch import save_file; " +
  'save_file(torch.load("vae.pth", weights_only=True), "vae.safetensors")`.';

/** A file that is not a VAE the page can run: what was found, what was expected, what to do (ImportRefused). */
export class UploadRefused extends Error {
  /** @param {string} found @param {string} expected @param {string} [how] */
  constructor(found, expected, how = SAVE_STATE_DICT) {
    super(`Found ${found}. Expected ${expected}. ${how}`);
    this.name = "UploadRefused";
    this.found = found;
    this.expected = expected;
    this.how = how;
  }
}

/** A value from an untrusted file as short text (vae/foreign.py _shown). @param {unknown} value */
export function shown(value) {
  let text;
  try {
    text = typeof value === "string" ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length <= 40 ? text : `${text.slice(0, 39)}…`;
}
