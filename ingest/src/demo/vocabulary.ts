/**
 * The platform's vocabulary and the distributions measured on the real, pseudonymised Kibotics logs
 * (the real logs, KIBOTICS_LOGS: 15 Oct 2019 – 9 Feb 2020, 117 daily files, 8,503 timed lines,
 * 58 distinct users). Only names (exercise ids, simulation types) and aggregate figures come from
 * there; no log line, user name or address is reproduced.
 */
import { Quantiles, Weighted } from './random.js';

export type SimulationType = 'simulator' | 'websim' | 'real';

export interface Exercise {
  id: string;
  type: SimulationType;
}

/**
 * Exercise ids with their simulation type, weighted by how often the corpus starts them
 * (code-3 lines: 4,197 starts; simulator 2,517, websim 1,322, real 358). The coded ids
 * (`SSPib004`…) are the style the platform switched to in February 2020.
 */
export const EXERCISES: ReadonlyArray<readonly [Exercise, number]> = [
  [{ id: 'gato_raton', type: 'simulator' }, 862],
  [{ id: 'sigue_linea_f1', type: 'simulator' }, 600],
  [{ id: 'sigue_pelota_picam', type: 'simulator' }, 357],
  [{ id: 'introduccion_python', type: 'simulator' }, 331],
  [{ id: 'siguelinea_pibot_scratch_vision', type: 'websim' }, 251],
  [{ id: 'sigue_linea_ir', type: 'simulator' }, 217],
  [{ id: 'follow_ball_drone_scratch', type: 'websim' }, 173],
  [{ id: 'choca_gira_us', type: 'simulator' }, 149],
  [{ id: 'forest_scratch', type: 'websim' }, 131],
  [{ id: 'mbot_dummy_example', type: 'real' }, 128],
  [{ id: 'sigue_linea_f1_python_websim', type: 'websim' }, 126],
  [{ id: 'follow_line_competitive_scratch', type: 'websim' }, 105],
  [{ id: 'cuadrado_drone_scratch', type: 'websim' }, 103],
  [{ id: 'cuadrado_tello_real_scratch', type: 'real' }, 84],
  [{ id: 'gatoraton_drone_scratch', type: 'websim' }, 81],
  [{ id: 'siguelinea_f1_scratch_vision', type: 'websim' }, 76],
  [{ id: 'cuadrado_tello', type: 'real' }, 68],
  [{ id: 'siguelinea_pibot_scratch_ir', type: 'websim' }, 61],
  [{ id: 'pyonbrowser_dummy_example', type: 'websim' }, 55],
  [{ id: 'mbot_real_scratch', type: 'real' }, 54],
  [{ id: 'forest_competitive_scratch', type: 'websim' }, 42],
  [{ id: 'chocagira_pibot_scratch', type: 'websim' }, 27],
  [{ id: 'playground_drone_scratch', type: 'websim' }, 14],
  [{ id: 'PSThe018', type: 'websim' }, 11],
  [{ id: 'sigue_linea_ir_real', type: 'real' }, 10],
  [{ id: 'introduccion_python_pyonbrowser', type: 'websim' }, 5],
  [{ id: 'PSFo1017', type: 'websim' }, 5],
  [{ id: 'follow_ball_pibot_scratch', type: 'websim' }, 4],
  [{ id: 'siguelinea_tello_scratch_vision', type: 'websim' }, 4],
  [{ id: 'PSPib011', type: 'websim' }, 4],
  [{ id: 'SSFo1012', type: 'websim' }, 4],
  [{ id: 'SSPib004', type: 'websim' }, 3],
  [{ id: 'SSFo1014', type: 'websim' }, 3],
  [{ id: 'SSTel016', type: 'websim' }, 3],
  [{ id: 'playground_pibot_scratch', type: 'websim' }, 3],
  [{ id: 'PRMbo009', type: 'real' }, 1],
  [{ id: 'SRTel010', type: 'real' }, 1],
];

export const EXERCISE_CHOICE = new Weighted(EXERCISES);

/**
 * The websim exercises anonymous visitors (people and crawlers) started in the corpus: 460 lines
 * by `AnonymusUser`, 249 `siguelinea_pibot_scratch_vision`, 150 `sigue_linea_f1_python_websim`.
 * Opening their page starts the in-browser simulation, so crawlers "start" them too.
 */
export const ANONYMOUS_EXERCISES = new Weighted<Exercise>([
  [{ id: 'siguelinea_pibot_scratch_vision', type: 'websim' }, 249],
  [{ id: 'sigue_linea_f1_python_websim', type: 'websim' }, 150],
  [{ id: 'pyonbrowser_dummy_example', type: 'websim' }, 11],
  [{ id: 'cuadrado_drone_scratch', type: 'websim' }, 7],
  [{ id: 'siguelinea_f1_scratch_vision', type: 'websim' }, 7],
  [{ id: 'follow_line_competitive_scratch', type: 'websim' }, 7],
  [{ id: 'gatoraton_drone_scratch', type: 'websim' }, 7],
]);

/**
 * Simulation durations in seconds, start → next end of the same user and exercise in the corpus
 * (2,699 pairs). Quantiles p0, p5, p10, p20 … p90, p95, p99, max; the max is clipped to 90 minutes
 * (the corpus has a 6.8 h outlier for `simulator`: a container left running).
 */
const q = (values: number[]): Quantiles => {
  const ps = [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1];
  return new Quantiles(ps.map((p, i) => [p, values[i]!] as const));
};
export const SIMULATION_SECONDS: Record<SimulationType, Quantiles> = {
  // n=1,766; median 129 s, p90 754 s
  simulator: q([2, 18, 26, 42, 64, 92, 129, 182, 275, 433, 754, 1264, 2214, 5400]),
  // n=717; median 25 s, p90 459 s; 20 % end within the same second (page reloads)
  websim: q([0, 0, 0, 1, 6, 13, 25, 41, 71, 146, 459, 1039, 2065, 4869]),
  // n=216; median 156 s, p90 1,073 s
  real: q([0, 5, 7, 25, 56, 99, 156, 202, 350, 514, 1073, 1440, 2443, 4635]),
};

/** Seconds from a simulation's end to the user's next start (corpus: median 16 s, p90 96 s, under 2 h). */
export const GAP_SECONDS = q([1, 3, 6, 13, 14, 15, 16, 18, 22, 35, 96, 370, 1500, 3000]);

/** Seconds from login to the first simulation start (corpus: median 19 s, p90 162 s). */
export const FIRST_START_SECONDS = q([3, 5, 6, 10, 14, 16, 19, 24, 33, 48, 162, 381, 1200, 2400]);

/**
 * Simulation starts per login session (corpus, login → logout or next login, 852 sessions):
 * 28 % none, median 1, mean 3.5, p90 9, p99 30.
 */
export const SIMULATIONS_PER_SESSION = new Quantiles([
  [0, 0],
  [0.28, 0],
  [0.28, 1],
  [0.54, 1.99],
  [0.67, 2.99],
  [0.75, 4],
  [0.9, 9],
  [0.95, 14],
  [0.99, 30],
  [1, 40],
]);

/**
 * What happens after a start (corpus): 4,197 starts but 2,909 ends, so about 31 % of starts are never
 * ended; 1,085 starts came while the same user's start of the same exercise was still open (a page
 * reload or a re-run): those are the repeated starts.
 */
export const P_SIMULATION_ENDED = 0.69;
export const P_RESTART_SAME_EXERCISE = 0.6;

/** Session ends: 518 logouts for 879 logins in the corpus; the rest are taken as inactivity time-outs. */
export const P_LOGOUT = 0.59;
/** The idle time-out after which the platform ends a session (an assumption: the corpus cannot show it). */
export const INACTIVITY_MINUTES = 30;

// ---------------------------------------------------------------------------------------------
// User agents
//
// Mix measured on the corpus's 879 login lines (who uses the platform, one count per login):
//   OS: Windows 52.0 %, Linux 39.9 %, macOS 5.8 %, Android 1.6 %, iOS 0.6 %, ChromeOS 0.1 %
//   browser: Chrome 71.4 %, Firefox 23.0 %, Opera 3.6 %, Safari 1.5 %, Edge 0.5 %
// Crawlers: 159 of 6,796 lines with a user agent (2.3 %), all as AnonymusUser; by line count bingbot 29,
// Googlebot 24, SemrushBot 18, AhrefsBot 17, BLEXBot 8, CCBot 8, DotBot 6, MJ12bot 5, DuckDuckBot 4,
// YandexBot 3, Applebot 2.
// Whole classes log in from one address with one identical user agent (a school computer room:
// e.g. 16 users behind one address), so each class's computer room gets one UA and homes a personal one.
// The two tables below are weighted so that a 60 % school / 40 % home blend lands on the corpus mix
// (Windows ≈ 52 %, Linux ≈ 39 %, macOS ≈ 6 %, mobile ≈ 2 %; Chrome ≈ 71 %, Firefox ≈ 22 %).
// The strings are current ones (the corpus's 2019 versions would look stale in a fresh demo).
// ---------------------------------------------------------------------------------------------

export const UA = {
  winChrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  winChromeOld:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
  winFirefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  winEdge:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  winOpera:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0',
  linuxChrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  ubuntuFirefox: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  linuxFirefoxEsr: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  macChrome:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  macSafari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  chromeOS:
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  iosSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
} as const;

/**
 * A school computer room: one UA for all its machines. Windows 50 %, Linux 50 % (Spanish regional
 * education distributions run Linux labs). Few entries on purpose: schools are dealt these in
 * weighted round-robin, so even three or four schools show the intended split.
 */
export const LAB_UA = new Weighted<string>([
  [UA.winChrome, 45],
  [UA.linuxChrome, 25],
  [UA.ubuntuFirefox, 25],
  [UA.winFirefox, 5],
]);

/** A pupil's or teacher's own device at home. */
export const HOME_UA = new Weighted<string>([
  [UA.winChrome, 30],
  [UA.winOpera, 9],
  [UA.winFirefox, 4],
  [UA.winEdge, 2],
  [UA.linuxChrome, 15],
  [UA.ubuntuFirefox, 12],
  [UA.macChrome, 12],
  [UA.macSafari, 3],
  [UA.androidChrome, 4],
  [UA.iosSafari, 1.5],
  [UA.chromeOS, 0.5],
]);

/** Crawlers, weighted as in the corpus (the rarer ones folded into these). */
export const CRAWLER_UA = new Weighted<string>([
  ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 29],
  [
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    18,
  ],
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 6],
  ['Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)', 18],
  ['Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', 17],
  ['Mozilla/5.0 (compatible; DuckDuckBot-Https/1.1; https://duckduckgo.com/duckduckbot)', 4],
  ['Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', 3],
  [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
    2,
  ],
]);

// ---------------------------------------------------------------------------------------------
// Pages, referrers, errors (the corpus logged none of these: plausible shapes for the site)
// ---------------------------------------------------------------------------------------------

export const SITE = 'https://kibotics.org';

export const LANDING_REFERRERS = new Weighted<string | undefined>([
  [undefined, 45], // typed or bookmarked
  ['https://www.google.com/', 35],
  ['https://www.bing.com/', 5],
  ['https://duckduckgo.com/', 4],
  ['https://www.ecosia.org/', 2],
  ['https://jderobot.github.io/', 4],
  ['https://www.youtube.com/', 3],
  ['https://t.co/', 2],
]);

export const EXTRA_PAGES = new Weighted<string>([
  ['/exercises', 10],
  ['/profile', 2],
  ['/groups', 1],
  ['/robots', 2],
  ['/help', 1],
]);

export const ERROR_MESSAGES = new Weighted<string>([
  ['500 Internal Server Error', 70],
  ['500 Internal Server Error: could not start simulation container', 15],
  ['500 Internal Server Error: database is locked', 10],
  ['500 Internal Server Error: upstream timed out', 5],
]);
