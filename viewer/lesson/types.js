// The data a host hands the lesson's first screen, as sections/lesson.py `screen_data` builds it (the planes'
// manifest: explorer/lesson_assets.py `lesson_planes`; the component's own fields: widgets/planes.py).

/** @typedef {[number, number, number, number]} Box  x0, x1, y0, y1 in data units */

/**
 * One training snapshot of one model's z = 2 plane (explorer/lesson_assets.py `frame_entry`).
 * @typedef {object} LessonFrame
 * @property {number} epoch
 * @property {Box} box                 the box of that epoch's test codes (0.5-99.5 percentiles)
 * @property {string} mosaic           URL of the decoder's tiles x tiles mosaic over `box` (PNG)
 * @property {string} mu               URL of the test codes, float32 (count, 2)
 * @property {string} empty            tiles * tiles of "1" (no code in the cell) or "0", row-major, top row first
 * @property {number} empty_share      the share of empty cells, 0-1
 * @property {number | null} readable  the share of N(0, I) draws that read as a digit, 0-1 (null: not measured)
 * @property {number} covered          how many of the 10 digits those draws cover
 * @property {string} empty_text       "42% of cells empty", for the plane's title
 * @property {string} empty_value      "42%", beside the curve
 * @property {string} readable_text    "52%" (or "–"), beside the curve
 */

/**
 * @typedef {object} LessonModel
 * @property {string} name                  "z2-beta0", "z2-beta1"
 * @property {number} beta
 * @property {LessonFrame[]} frames         oldest epoch first; the last is the shipped model
 * @property {{decoder: string, latent: number, hidden: number}} decoder  the shipped decoder's blob (hover tip)
 */

/**
 * @typedef {object} LessonPlanes
 * @property {string} labels          URL of the test digits' labels (uint8, count)
 * @property {number} count           how many test codes
 * @property {number} tiles           the mosaic's and the holes' grid side
 * @property {LessonModel[]} models   autoencoder (left), VAE (right)
 */

/**
 * A row of decoded N(0, I) draws under one model.
 * @typedef {object} SampleRow
 * @property {number} side      0: the autoencoder's column, 1: the VAE's
 * @property {number} latent    20 or 2
 * @property {string} label     the measured figures of that checkpoint
 * @property {string} strip     data URL of the draws side by side, each 28 x 28 (PNG)
 * @property {number[]} reads   per draw: the digit the classifier reads at P >= READABLE, or -1
 */

/**
 * @typedef {object} ProbeResult
 * @property {string | null} image  data URL of the decoded point (null: outside that model's box)
 * @property {string[]} lines       what the classifier reads, how far the nearest code is
 * @property {string} detail        the inset's tooltip
 */

/**
 * The probed point and what each shipped model says about it.
 * @typedef {object} LessonProbe
 * @property {number} x
 * @property {number} y
 * @property {string} title
 * @property {ProbeResult[]} results  one per model
 */

/**
 * @typedef {object} LessonText
 * @property {string} samples
 * @property {string} new_samples
 * @property {{same: string, own: string}} scale
 * @property {string} codes
 * @property {string} draw
 * @property {string} epoch
 * @property {string} legend
 * @property {string[]} curves  the two curves' titles
 * @property {string} waiting   said when the planes' arrays are late
 */

/**
 * @typedef {object} LessonData
 * @property {"lesson"} role
 * @property {string} name               the component's key: names its event serials
 * @property {number} ack                the serial of the last event a run has handled
 * @property {LessonPlanes} planes
 * @property {string[]} headers          per model: "Autoencoder (β = 0)", ...
 * @property {string[]} short            per model: "Autoencoder", "VAE"
 * @property {SampleRow[]} samples
 * @property {LessonProbe | null} probe
 * @property {LessonText} text
 * @property {number} [scroll]           handled by the host (a preset scrolls the page up), not the lesson
 */

/** @typedef {"same" | "own"} Scale  both planes on one pair of axes, or each on its own */

export {};
