// The data the explorer's host sends (sections/map.py widget_data builds it; widgets/contract.py mirrors
// these shapes as TypedDicts and tests/test_contract.py checks that a real payload fits them) and the
// widget's own state, split into named parts.

/**
 * @typedef {object} ViewData             the controls: what is shown
 * @property {string} model               a model name, e.g. "z20-beta1"
 * @property {string} map                 "pca", "tsne" or "plane"
 * @property {string} method              "linear", "spherical" or "geodesic"
 * @property {number} frames
 * @property {boolean} compare
 * @property {boolean} backdrop
 * @property {number | null} [mr]         the β slider's β: the Multi-Rate VAE shown at it (null: the model above)
 *
 * @typedef {object} MapManifest
 * @property {string} codes               URL of the map's (count, 2) float32 coordinates
 *
 * @typedef {object} ModelManifest        explorer/assets.py model_manifest
 * @property {string} name
 * @property {number} latent
 * @property {number} hidden
 * @property {number} beta
 * @property {string} [words]             the model in plain words: "VAE (β = 1), z = 20", "Autoencoder (β = 0), z = 2" (explorer/assets.py model_words)
 * @property {string} [label]             an import's name on the β controls ("your model" where β is unknown)
 * @property {number} count               how many test digits its codes hold
 * @property {string} decoder             URL of the decoder's float32 blob
 * @property {string} mu                  URL of the test codes, (count, latent) float32
 * @property {Record<string, MapManifest> & {pca?: import("../core/projection.js").Pca & MapManifest}} maps
 *
 * @typedef {object} MapInfo              explorer/figures.py map_info
 * @property {string} title
 * @property {[number, number, number, number] | null} extent
 * @property {[number, number] | null} prior
 * @property {string | null} backdrop
 * @property {string | null} [phoneBackdrop]   the backdrop with fewer, larger tiles, for a phone's map
 * @property {{box: number[], tiles: number, empty: string} | null} [holes]   a z = 2 plane's holes (core/holes.js)
 *
 * @typedef {object} SentEnd              sections/map.py end_data
 * @property {"test" | "point" | "drawn"} kind
 * @property {string} id
 * @property {string} label
 * @property {string} [image]             base64 of its 784 grey bytes
 * @property {number} [index]
 * @property {string} [map]
 * @property {number} [x]
 * @property {number} [y]
 * @property {string} [source]
 * @property {Record<string, number[]>} [codes]
 *
 * @typedef {object} Reading              the classifier's reading of the server's path
 * @property {string} key
 * @property {number[]} digits
 * @property {number[]} confidence
 * @property {number[][]} [probabilities] per frame, the classifier's 10 probabilities (the analytics' heatmap)
 *
 * @typedef {object} InsideData          explorer/charts.py inside_data
 * @property {Record<string, {kl: number[], active: boolean[], prior?: {readable_share: number, count: number}}>} models
 * @property {{p10?: number, median?: number, p90?: number, saving_pairs?: number, pairs?: number}} geodesic
 *
 * @typedef {object} ExplorerData
 * @property {"explorer"} role
 * @property {string} name                the widget's key: its events' channel
 * @property {number} ack                 the serial of the last event the host has handled
 * @property {ViewData} view
 * @property {Record<string, ModelManifest>} models
 * @property {Record<string, Record<string, MapInfo>>} mapInfo
 * @property {Record<string, string>} mapLabels
 * @property {Record<string, string>} [mapTitles]   each map in a few plain words (explorer/figures.py MAP_TITLES)
 * @property {{labels: string, sprite: string, columns: number}} digits
 * @property {{a: SentEnd | null, b: SentEnd | null}} ends
 * @property {SentEnd | null} drawn
 * @property {Record<string, {key: string, codes: number[][], report?: import("../core/geodesic.js").GeodesicReport}>} paths   the host's geodesics
 * @property {Reading | null} reading
 * @property {Record<string, Reading>} [readings]   comparing β: each model's reading of the path under it
 * @property {InsideData} [inside]       explorer/charts.py inside_data: KL per dimension, the geodesic's ratios
 * @property {string} hint
 * @property {{pick: string, pair: string}} [hints]   the pick hint, and what replaces it once A and B are set
 * @property {boolean} [analyticsBelow]   the host shows the per-frame analytics and downloads under the map
 * @property {object} config              Plotly's config for the map
 * @property {number} aspect
 * @property {Record<string, MultiRateManifest>} [multirate]   the β slider's models (explorer/multirate_assets.py)
 * @property {string | null} [classifier]   URL of the digit classifier's float32 blob (explorer/viewer_data.py
 *   classifier_url): the viewer reads the β slider's frames with it (multirate.js sliderReading)
 *
 * @typedef {object} MultiRateMap          the MR-VAE's one map, on axes fixed for every β
 * @property {string} name                "pca" or "plane"
 * @property {number[]} mean
 * @property {number[][]} components
 * @property {[number, number, number, number]} extent
 * @property {[number, number]} prior
 * @property {string} title
 *
 * @typedef {object} MultiRateManifest    explorer/multirate_assets.py multirate_manifest
 * @property {string} name                "z20-mr"
 * @property {string} [words]             "one VAE for every β, z = 20"
 * @property {number} latent
 * @property {number} hidden
 * @property {[number, number]} betaRange
 * @property {number} count
 * @property {string} weights             URL of the gated network's float32 blob (core/multirate.js)
 * @property {string} codes               URL of the (K, count, 2) float16 test codes at the K grid betas
 * @property {number[]} betas             the grid, increasing
 * @property {Record<string, number[]>} figures   neg_elbo, reconstruction, kl, sigma, mu_rms per grid beta
 * @property {MultiRateMap} map
 * @property {{betas: number[], rate: number[], distortion: number[]} | null} sweep   the rate-distortion curve
 * @property {Array<{model: string, beta: number, rate: number, distortion: number}>} separate   the family's points
 */

/**
 * @typedef {object} End                  an endpoint as the widget holds it
 * @property {"test" | "point" | "drawn"} kind
 * @property {string} id
 * @property {string} label
 * @property {number} [index]
 * @property {string} [map]
 * @property {number} [x]
 * @property {number} [y]
 * @property {string} [source]
 * @property {Record<string, Float32Array>} codes   its code under each model, where the host sent it
 * @property {Uint8Array | null} image
 *
 * @typedef {object} Path                 the shown path
 * @property {string} key
 * @property {string} method
 * @property {boolean} pending            a geodesic shown as a straight line until the host's arrives
 * @property {boolean} [straight]         a geodesic asked of the β slider's model: none is computed for it
 * @property {Float32Array[]} codes
 * @property {ArrayLike<number>} [a]
 * @property {ArrayLike<number>} [b]
 * @property {Float64Array[]} [frames]    decoded, 784 values in [0, 1] each
 */

export {};
