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
 * @property {Box} core               the box of its central codes (5-95 percentiles): the probe's inset avoids it
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
 * @property {string} title                 "Autoencoder (β = 0), z = 2": the plane's title, before its empty cells
 * @property {LessonFrame[]} frames         oldest epoch first; the last is the shipped model
 * @property {{decoder: string, latent: number, hidden: number}} decoder  the shipped decoder's blob (hover tip, probe)
 * @property {number} spacing               the median distance between neighbouring test codes (a "gap")
 */

/**
 * @typedef {object} LessonPlanes
 * @property {string} labels          URL of the test digits' labels (uint8, count)
 * @property {number} count           how many test codes
 * @property {number} tiles           the mosaic's and the holes' grid side
 * @property {LessonModel[]} models   autoencoder (left), VAE (right)
 */

/** @typedef {{decoder: string, latent: number, hidden: number}} DecoderSource  a decoder's blob and shape */
/** @typedef {{encoder: string, latent: number, hidden: number}} EncoderSource  an encoder's blob and shape */

/**
 * A row of decoded N(0, I) draws under one model: the viewer draws, decodes and reads them (compute.js).
 * @typedef {object} SampleRow
 * @property {number} side             0: the autoencoder's column, 1: the VAE's
 * @property {number} latent           20 or 2
 * @property {string} label            the checkpoint's measured figures
 * @property {string} [title]          the label's tooltip: the figures behind it ("" or absent: none)
 * @property {DecoderSource} decoder
 */

/**
 * The row that follows β (explorer/lesson_assets.py beta_row, viewer/lesson/beta.js): the z = 20 Multi-Rate VAE's
 * blob and, per grid β, the figures training/lesson_beta.py measured and the label quoting them.
 * @typedef {object} BetaRow
 * @property {string} weights     URL of the MR-VAE's blob (core/multirate.js makeMultiRate)
 * @property {number} latent
 * @property {number} hidden
 * @property {number[]} betas     the grid, increasing
 * @property {number[]} readable  share of 1,000 draws that read as a digit, per grid β
 * @property {number[]} covered   digits covered, per grid β
 * @property {string[]} labels    the row's label per grid β
 * @property {number[]} marks     the separately trained models' β (on the grid)
 * @property {{beta: number, readable: number}[]} separate  their measured shares (the curve's dots)
 * @property {string} heading       the row's own heading ("One model trained for every β (z = 20)")
 * @property {string} curveHeading  the curve's visible title
 * @property {string} curveTitle  the curve's tooltip
 * @property {string} [curveWhy]   why the line and the dots differ, in a few words ("" or absent: not measured)
 * @property {number} start       the β shown first
 */

/**
 * The point probed: a tap on a plane, or a draw of N(0, I) ("decode one draw").
 * @typedef {object} LessonProbe
 * @property {number} x
 * @property {number} y
 * @property {boolean} drawn
 */

/**
 * One model's row of the reparameterization.
 * @typedef {object} PosteriorModel
 * @property {string} name
 * @property {string} title     "Autoencoder, z = 2"
 * @property {string} note      what its σ means, in a few words
 * @property {number} latent
 * @property {EncoderSource} encoder
 * @property {DecoderSource} decoder
 */

/**
 * @typedef {object} PosteriorText
 * @property {string} heading
 * @property {string} intro
 * @property {string} digit
 * @property {string} new_eps
 * @property {string} new_eps_help
 * @property {string} caption
 */

/**
 * The reparameterization: one test digit's q(z|x) sampled under each model (posterior.js).
 * @typedef {object} LessonPosterior
 * @property {{sprite: string, columns: number, count: number}} digits  the test digits' PNG sprite
 * @property {number} samples            decoded samples per row
 * @property {PosteriorModel[]} models
 * @property {PosteriorText} text
 */

/**
 * @typedef {object} LessonTable
 * @property {string} heading
 * @property {string} help
 * @property {string[]} columns
 * @property {string[]} notes     per column, what it measures ("" for none)
 * @property {string[][]} rows    every cell formatted
 */

/**
 * @typedef {object} LessonText
 * @property {string} samples
 * @property {string} samples_help     the samples line's tooltip: how many draws the shares count
 * @property {string} new_samples
 * @property {{same: string, own: string}} scale
 * @property {string} codes
 * @property {string} draw
 * @property {string} show_me  the presets' label
 * @property {string} after_training  said of the pictures while the player shows an earlier epoch's figures
 * @property {string} start     said at the first epoch ("both untrained, the same starting network"; "" for none)
 * @property {string} rings_off said on a plane whose view none of N(0, I)'s circles reaches
 * @property {string} rings_around said instead when the whole view lies inside every such circle (epoch 0)
 * @property {string} epoch
 * @property {string} legend
 * @property {string} legend_help      the legend's tooltip: the grid's size and box, the circles, the unit
 * @property {{note: string, help: string, other: string[]} | undefined} wider  Own scale's note on the wider plane
 *   (scale.js): templates with {ratio}, {other}, {span}, {other_span}; `other`, per side, the other plane's name
 * @property {string[]} curves  the two curves' titles
 * @property {string} waiting   said when the planes' arrays are late
 * @property {{hole: string, codes: string, outside: string, offview: string}} where  where a probed point lies, in
 *   words (offview: the point is off a plane's view, its arrow on the edge)
 */

/**
 * A "Show me" preset (weights/lesson.json, training/presets.py): the view it opens, in the link's format, and
 * what the lesson sets that a link does not carry.
 * @typedef {object} LessonPreset
 * @property {string} title
 * @property {string} line                 one plain sentence, shown where the preset lands
 * @property {string} caption              its figures, behind a closed "The figures" disclosure there
 * @property {Record<string, string>} query  the link's parameters (page, probe, model, a, b, ...)
 * @property {Scale | null} scale          the planes' scale it shows (null: left as it is)
 * @property {boolean} lastEpoch           it shows the trained models (the player's last epoch)
 */

/**
 * @typedef {object} LessonData
 * @property {"lesson"} role
 * @property {string} name               the component's key: names its event serials
 * @property {number} ack                the serial of the last event a run has handled
 * @property {LessonPlanes} planes
 * @property {string[]} headers          per model: "Autoencoder (β = 0)", ...
 * @property {string[]} short            per model: "Autoencoder", "VAE"
 * @property {SampleRow[]} rows          the models whose draws the top rows show
 * @property {BetaRow | null} betaRow   the row of draws that follows β (null: no Multi-Rate VAE shipped)
 * @property {number} sampleCount        draws per row
 * @property {string | null} classifier  URL of the classifier's blob (null: none shipped)
 * @property {number} readable           a picture reads as a digit at P >= this
 * @property {{samples: number, eps: number}} seeds  the host's seeds (the link's samples and eps)
 * @property {LessonProbe | null} probe  the host's probed point
 * @property {number | null} digit      the test digit the reparameterization starts on (null: the first)
 * @property {{title: string, line: string, caption: string} | null} preset  the host's preset last applied (its
 *   line shows above the planes)
 * @property {LessonPosterior} posterior
 * @property {LessonPreset[]} presets    the "Show me" buttons
 * @property {LessonTable} table
 * @property {LessonText} text
 * @property {number} [scroll]           handled by the host (a preset scrolls the page up), not the lesson
 */

/** @typedef {"same" | "own"} Scale  both planes on one pair of axes, or each on its own */

export {};
