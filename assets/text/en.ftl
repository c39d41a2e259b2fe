# optiscope: the window's text in English. One message per id; `{ $name }` is an argument.
# A new language copies this file to <language>.ftl and translates the right-hand sides.


## src/app/controls_ui.rs
controls-start = Start
controls-steps = Steps
controls-optiscope = optiscope
controls-network = Network
controls-surface = Surface
controls-runs = Runs
controls-add = Add
controls-duplicate = Duplicate
controls-remove = Remove
controls-no-positive-curvature-at-the = no positive curvature at the start: no GD stability limit
controls-learning-rate = Learning rate
controls-full-batch = full batch
controls-the-surface-s = the surface's
controls-the-scene-s = the scene's
controls-momentum-lets-a-larger-learning = Momentum lets a larger learning rate stay stable: the limit grows with β.
controls-stepping-in-stages-step-shows = Stepping in stages: Step shows the next stage
controls-animation-speed-steps-per-second = Animation speed (steps per second)
controls-median-cpu-time-of-the = Median CPU time of the last 240 frames spent building the UI
controls-edit-the-scene-s-title = Edit the scene's title and notes
controls-click-or-drag-on-the = Click or drag on the surface to move the start point
controls-arrows-of-grad-f-where = Arrows of −grad f: where gradient descent pushes from each point
controls-the-hessian-s-eigen-directions = The Hessian's eigen-directions at the start, with their eigenvalues
controls-add-a-run-up-to = Add a run (up to 8)
controls-copy-the-selected-run = Copy the selected run
controls-remove-the-selected-run = Remove the selected run
controls-color-of-this-run = Color of this run
controls-show-this-run = Show this run
controls-drag-shift-for-fine-control = Drag (Shift for fine control), or click the number and type a value
controls-seed-of-the-initial-weights = Seed of the initial weights and of the minibatch order
controls-standard-deviation-of-gaussian-noise = Standard deviation of Gaussian noise added to each gradient component
controls-seed-of-the-noise-and = Seed of the noise and of minibatch sampling
controls-this-run-s-own-minibatch = This run's own minibatch size (0 = full batch, 1 = SGD) instead of the surface's
controls-start-this-run-from-its = Start this run from its own point instead of the scene's; the handle on the surface then moves this run's start
controls-pause = Pause
controls-timeline = Timeline
controls-steps-s = steps/s
controls-contour-lines = Contour lines
controls-gradient-field = Gradient field
controls-curvature = Curvature
controls-show = Show
controls-minibatch = Minibatch
controls-batch-size = Batch size
controls-own-start = Own start
controls-in-stages = in stages
controls-untitled-scene = Untitled scene
controls-done = Done
controls-edit = Edit
controls-title = Title
controls-notes-hint = Notes: what to look at and why it happens
controls-model = Model
controls-data = Data
controls-sharpness-every = Sharpness every
controls-sharpness-every-help = Steps between two values of λmax of the training loss's Hessian (power iteration on exact Hessian-vector products, in the background); 0: none
controls-steps-suffix = steps
controls-network-summary = { $sizes } network, { $parameters } parameters; { $training } training and { $held_out } held-out points
controls-undefined-share = f is undefined (not a number) on { $share } of the view, hatched grey; a run that steps there stops
controls-under-one-percent = under 1%
controls-update-arrows = Update arrows
controls-update-arrows-help = For the selected run at the cursor, to scale: the plain gradient step −lr·grad f (amber), momentum (violet), the per-coordinate scaling as a box (cyan), Newton's local model, and the step taken (green)
controls-in-stages-help = Step shows the update one stage at a time (gradient, momentum, scaling, step) with the explain panel's matching terms lit
controls-same-in-help = Add the selected run with { $framework }'s { $optimizer }: same name, same numbers; see where the frameworks part
controls-no-twin = { $framework } has no optimizer of this name
controls-same-in = Same in { $framework }
controls-at-most-runs = A scene has at most 8 runs
controls-training-step = training: step { $step } of { $steps }
controls-trained = trained { $steps } steps: loss { $loss }, held out { $held_out }
controls-run-settings = Run { $run } settings
controls-optimizer = Optimizer
controls-gd-limit-mark = GD limit 2/λmax
controls-momentum-limit-mark = momentum limit
controls-limit-mark = { $name }: lr = { $lr }
controls-flow-no-limit = a flow takes no discrete steps: it is stable at every lr
controls-adaptive-no-limit = this optimizer rescales its steps, so no fixed-lr limit applies
controls-decay = Decay
controls-warmup = Warmup
controls-minibatch-help = Rows per update, reshuffled every epoch from the seed; off: the whole training set (full-batch gradient descent)
controls-seed = Seed
controls-noise = Noise σ
controls-computed = computed { $steps } steps in { $ms } ms
controls-condition-number = , condition number κ = { $kappa }
controls-start-hessian = Hessian at the start: λ = { $lo }, { $hi }{ $kappa }
controls-stable-below = { $what } stable for lr < { $limit }
controls-stable-above = { $what } stable for lr < { $limit }: above it
controls-plain-gd-limit = plain GD would be stable for lr < { $limit } (2/λmax); { $why }
controls-gd-limit-line = GD (2/λmax)
controls-gd-limit-help = Gradient descent multiplies the steepest direction by (1 − lr·λmax) each step: it converges exactly when lr < 2/λmax on a quadratic, and near the start elsewhere.
controls-nesterov = Nesterov
controls-heavy-ball = Heavy ball
controls-step-of = step { $step } / { $steps }
controls-frame-time = frame { $ms } ms

## src/app/files.rs
files-paste-a-scene-link-or = Paste a scene link (or the part after '#').
files-the-current-scene-is-unchanged = The current scene is unchanged.
files-unsaved-changes = Unsaved changes
files-open-link = Open link
files-could-not-open-or-save = Could not open or save
files-open = Open
files-no-recent-files = no recent files
files-unsaved-changes-2 = • unsaved changes
files-file = File
files-recent = Recent
files-export = Export
files-presets = Presets
files-analyze = Analyze
files-save = Save
files-discard-changes = Discard changes
files-cancel = Cancel
files-ok = OK
files-not-saved-yet = not saved to a file yet
files-drop-hint = Drop a .ron preset to open it
files-untitled = Untitled
files-window-title-with-file = { $marker }{ $title } ({ $file }) — optiscope
files-window-title = { $marker }{ $title } — optiscope
files-quitting = Quitting
files-starting-a-new-scene = Starting a new scene
files-opening-another-scene = Opening another scene
files-discard-question = { $what } discards the changes to '{ $scene }'. Save them first?
files-export-kind = Export { $kind }
files-save-preset = Save preset
files-open-preset = Open preset
files-preset-filter = optiscope preset
files-save-page = Save as web page
files-page-filter = Web page
files-save-page-needs-build = needs the one-file app: run web/build.sh
files-path-hint = /path/to/scene.ron

## src/app/sweep_ui.rs
sweep-learning-rates = Learning rates
sweep-to = to
sweep-log-spaced = log-spaced,
sweep-values = values
sweep-second-axis = Second axis
sweep-no-decreasing-stretch-found = no decreasing stretch found
sweep-no-run-finished = no run finished
sweep-lr-range-test = LR range test
sweep-bayesian-search = Bayesian search
sweep-against-the-base-learning-rate = against the base learning rate; red: diverged. Click to use an lr.
sweep-simulate-the-run-once-per = Simulate the run once per cell, on every core
sweep-fastai-s-lr-find-one = fastai's lr_find: one short run whose learning rate grows exponentially
sweep-set-the-run-to-the = Set the run to the closed-form optimum
sweep-cancel = Cancel
sweep-apply = Apply
sweep-which-learning-rates-work = Which learning rates work?
sweep-final-loss = final loss
sweep-steps-to-converge = steps to converge
sweep-axis-none = none (1D)
sweep-axis-momentum = momentum
sweep-axis-warmup-steps = warmup steps
sweep-axis-decay-rate = decay rate
sweep-finished = Sweep finished: { $runs } runs in { $seconds } s.
sweep-crashed = the sweep stopped unexpectedly; please report this
sweep-about-run = Run { $run }: { $label } on { $surface }, { $steps } steps from ({ $x }, { $y })
sweep-progress = { $done } / { $runs } runs
sweep-run-sweep = Run sweep
sweep-range-test-finished = Range test finished: the loss falls fastest at lr { $lr }.
sweep-range-test-no-suggestion = Range test finished without a suggestion.
sweep-bayesian-search-help = { $trials } runs chosen one at a time: a Gaussian process models the final loss over log lr, and each next lr is where the expected improvement is largest
sweep-bayesian-search-finished = Bayesian search finished: the best of { $trials } runs used lr { $lr }.
sweep-lr-log-scale = learning rate (log scale)

## src/app/network_ui.rs
network-random-directions = Random directions
network-principal-directions = Principal directions
network-final-weights = final weights
network-initial-weights = initial weights
network-cannot-be-built = The network cannot be built: { $error }
network-data-and-boundary = Data and decision boundary
network-data-and-fit = Data and fitted curve
network-boundary-legend = boundary, run { $run }
network-class-legend = class { $class }
network-held-out-hollow = held out (hollow)
network-training-legend = training
network-held-out-legend = held out
network-fit-legend = fit
network-run-error = run { $run }: { $error }
network-run-training = run { $run }: training…
network-run-step = run { $run }, step { $step }
network-caption-loss = : loss { $loss } (held out { $held_out })
network-caption-accuracy = accuracy { $accuracy }% (held out { $held_out }%)
network-landscape-random-title = Loss landscape: random directions (seed { $seed }) through run { $run }'s { $centre } weights
network-landscape-pca-title = Loss landscape: run { $run }'s top two principal directions through its { $centre } weights
network-random = random
network-principal = principal
network-random-directions-help = Two filter-normalized Gaussian directions (Li et al. 2018): every run's path on one fixed plane
network-principal-directions-help = The plane the centre run moved in most (PCA of its path): its path, seen from where it spreads out
network-seed-prefix = seed
network-run = run { $run }
network-waiting-for-run = waiting for run { $run } to finish training…
network-computing-slice = computing the slice at { $n }×{ $n }
network-centre-legend = centre
network-loss-log = loss (log)
network-loss = loss
network-final = final
network-initial = initial

## src/app/present_ui.rs
present-keyboard-shortcuts = Keyboard shortcuts
present-wheel-on-surface = Wheel on the surface
present-wheel-on-surface-help = Zoom about the pointer
present-drag-on-surface = Drag on the surface
present-drag-on-surface-help = Pan; drag the white square to move the start
present-click-on-surface = Click on the surface
present-click-on-surface-help = Start the selected run there
present-wheel-on-plot = Wheel / drag on a plot
present-wheel-on-plot-help = Zoom / pan the plot
present-double-click-plot = Double-click a plot
present-double-click-plot-help = Fit the plot to its data (or its Fit button)

## src/app/explain_ui.rs
explain-explain-the-update = Explain the update
explain-no-update = Run { $run } takes no update at step { $step } (it ended or diverged before).
explain-update-of-run = Update { $update } of run { $run } (θ{ $from } to θ{ $to })
explain-stage-of = Stage { $stage } of { $stages }, { $name }: { $says }
explain-theta-before = θ (before)
explain-gd-limit-at-theta = 2/λmax at θ
explain-effective-step-size = |Δθ| (effective step size)

## src/app/commands.rs: the command table (toolbar, menus, the ? overlay)
command-rewind = Rewind
command-rewind-help = back to step 0
command-back = Back
command-back-help = one step back
command-play = Play
command-play-help = play / pause
command-step = Step
command-step-help = one step forward
command-end = End
command-end-help = the last step
command-reset-view = Reset view
command-reset-view-help = show the surface's default area
command-3d = 3D
command-3d-help = the surface in 3D: drag to orbit, wheel to zoom, double-click to reset
command-present = Present
command-present-help = presentation mode: full screen, large text, the scene's notes as a banner
command-light = Light
command-light-help = high-contrast light theme for projectors
command-controls = Controls
command-controls-help = show / hide the left panel
command-next-scene = Next scene
command-next-scene-help = next built-in scene
command-previous-scene = Previous scene
command-previous-scene-help = previous built-in scene
command-help = ?
command-help-help = keyboard shortcuts
command-close-help = Close help
command-close-help-help = close the shortcut overlay
command-new = New
command-new-help = new scene
command-open = Open…
command-open-help = open a preset
command-save = Save
command-save-help = save the scene
command-save-as = Save As…
command-save-as-help = save the scene to another file
command-copy-link-to-this-scene = Copy link to this scene
command-copy-link-to-this-scene-help = a link that opens this scene, animation position included, in the web app (or in the desktop app with File ▸ Open link…), on the clipboard
command-open-link = Open link…
command-open-link-help = open a scene from a link someone sent (paste it)
command-save-as-web-page = Save as web page…
command-save-as-web-page-help = the whole app in one HTML file that opens on this scene, offline, by double click: to send by e-mail, put on a USB stick or on a course page
command-copy-embed-code = Copy embed code
command-copy-embed-code-help = an <iframe> that shows this scene compactly (the surface, the learning-rate plot, play, step and the learning-rate slider) in slides, a course page or a notebook, on the clipboard
command-quit = Quit
command-quit-help = close the window
command-picture-png = Picture (PNG)…
command-picture-png-help = the surface and the runs at the current step, 1600×1000
command-animation-gif = Animation (GIF)…
command-animation-gif-help = the runs moving, 800×500 at 20 frames per second
command-trajectories-csv = Trajectories (CSV)…
command-trajectories-csv-help = one CSV per run with the columns of `optiscope trace`
command-copy-run-as-pytorch = Copy run as PyTorch
command-copy-run-as-pytorch-help = a Python script that reproduces the selected run with torch.optim and torch.optim.lr_scheduler, on the clipboard; for torch.optim's optimizers
command-copy-run-as-keras = Copy run as Keras
command-copy-run-as-keras-help = a Python script that reproduces the selected run with Keras 3's keras.optimizers and keras.optimizers.schedules (float64), on the clipboard; for the keras.* optimizers
command-which-learning-rates-work = Which learning rates work?
command-which-learning-rates-work-help = sweep the selected run over learning rates, or run the LR range test
command-show-frame-time = Show frame time
command-show-frame-time-help = show in the toolbar how long the window takes to build a frame (hidden in presentation mode)

## src/app/plots_ui.rs
plots-learning-rate-per-step = Learning rate per step
plots-untick-log-y-to-see = untick log y to see where the rate turns negative
plots-log-y = log y
plots-negative-rates-not-on-log = rates < 0 are not on a log axis
plots-warmup = warmup
plots-stability-limit-of-run = stability limit of run { $run }
plots-stability-limit-lr = stability limit lr = { $lr }
plots-far-above = far above (log y shows it)
plots-gradient-ascent-line = lr = 0: below it, gradient ascent

## src/app/step_plot.rs
steps-fit-the-plot-to-its = Fit the plot to its data (or double-click the plot)
steps-fit = Fit
steps-step-axis = step

## src/app/views/mod.rs
view-log-y = log y
view-direction-slow = slow
view-direction-fast = fast
view-eigen-note = run { $run }, λ = { $slow } / { $fast }
view-no-hessian-at-end = run { $run } has no Hessian at its end

## src/app/views/phase.rs
view-phase-along-the-eigenvector-of-the = Along the eigenvector of the smallest eigenvalue
view-phase-along-the-eigenvector-of-the-2 = Along the eigenvector of the largest eigenvalue
view-phase-slow = slow
view-phase-fast = fast
view-phase-title = Phase portrait
view-phase-help = Position against velocity (θ_k − θ_{"{"}k−1{"}"}) along one eigenvector for the selected run, up to the cursor: momentum spirals, gradient descent walks a line
view-phase-position = position
view-phase-velocity = velocity
view-phase-direction-legend = { $direction } direction
view-phase-cursor-legend = cursor
view-phase-optimum-legend = optimum

## src/app/toast.rs
toast-cancel = Cancel
toast-progress = { $done } / { $of }
toast-open-folder = Open folder

## src/app/execute.rs
execute-opened = Opened { $name }.
execute-could-not-open-link = Could not open the link: { $message }. The scene on screen is unchanged.
execute-copied-link = Copied a link to this scene to the clipboard ({ $size } characters).
execute-saved-to = Saved the scene to { $place }.
platform-in-your-downloads = { $name } in your downloads
execute-export-surface-only = The { $kind } export draws surface scenes; a network scene is not drawn by it yet (take a screenshot, or export the CSV of its runs).
execute-exporting = Exporting the { $kind }…
execute-copied-script = Copied a { $framework } script of run { $run } to the clipboard.
execute-export-failed = Export failed: { $message }
execute-copied-embed = Copied an <iframe> showing this scene (640 × 400) to the clipboard.
execute-making-page = Making the web page…
execute-saved-page = Saved the scene as a web page to { $place }.
execute-page-failed = Could not save the web page: { $message }
embed-full-app = Full app
embed-full-app-help = open this scene in the whole app, with every control
embed-run-lr = lr of { $run }
execute-export-cancelled = Export cancelled.
execute-export-crashed = Export failed: the export stopped unexpectedly; please report this.

## src/app/layout.rs
layout-stage-label = stage { $stage }/{ $stages }: { $name }
layout-open-folder-failed = Open folder: { $error }

## src/app/network.rs
network-data-error = data: { $error }
network-model-error = model: { $error }
network-training-crashed = training stopped unexpectedly; please report this

## src/app/surface_ui.rs
surface-settings-not-valid = The surface settings are not valid; see the left panel.
surface-start-legend = start
surface-f-log = f (log)

## src/app/params_ui.rs
params-auto = auto
params-reset = { $value } (reset)

## src/app/actions.rs
actions-sweep-needs-surface = The sweep and the range test run on surfaces; a network scene races its runs instead (Duplicate a run and change its lr).

## src/app/sweep_ui/bayes.rs
sweep-bayes-best-of = best of { $runs } runs: lr { $lr }
sweep-bayes-explained = Score: log10 of the final loss (no worse than at the start). Line and band: the model's mean ± 2 sd; dots: the runs, numbered in the order tried; star: the best.
sweep-bayes-score-axis = log10 final loss
sweep-bayes-runs-legend = runs
sweep-bayes-best-legend = best

## src/app/sweep_ui/range_test.rs
sweep-range-steepest-at = steepest descent at lr ≈ { $lr }
sweep-range-loss-axis = loss (log scale)
sweep-range-raw-legend = loss after each step
sweep-range-smoothed-legend = smoothed (no lag)
sweep-range-steepest-legend = steepest descent

## src/app/sweep_ui/grid.rs
sweep-final-loss-log-scale = final loss (log scale)
sweep-diverged-legend = diverged
sweep-closed-form-optimum = closed-form optimum
sweep-map-explained = Final loss (color, log) over lr × { $param }; dark red: diverged, grey: not a valid setting; dashed blue: the heavy-ball limit. Click a cell to use its values.
sweep-on-the-map = ; on the map, solid lines: rate { $rates }, dashed: rate 1, the stability limit
list-separator = {", "}
run-label-warmup = warmup { $warmup }
run-label-batch = batch { $size }
run-label-from = from ({ $x }, { $y })
sweep-closed-form = Closed form on the local quadratic (λ = { $lo } … { $hi }, κ = { $kappa }): best lr { $lr }{ $momentum }, the error shrinks ×{ $rate } per step{ $on_map }.
sweep-with-momentum = with momentum { $momentum }
sweep-apply-optimum = Apply optimum
sweep-critical-damping-min = critical damping, λmin
sweep-critical-damping-max = critical damping, λmax

## src/app/views/loss.rs
view-loss-title = Loss per step
view-loss-help = f(θ_k) of every run
view-loss-nonpositive-left-out = (values ≤ 0 are left out)
view-loss-solid-dashed = solid: training, dashed: held out
view-loss-held-out-legend = run { $run } held out

## src/app/views/step_size.rs
view-step-size-title = Step size |Δθ|
view-step-size-help = The length of each update: what the learning rate, momentum and adaptive scaling amount to

## src/app/views/sharpness.rs
view-sharpness-title = Sharpness
view-sharpness-help = λmax of the Hessian at each step; dashed: the largest sharpness the selected run is stable at with that step's lr (2/lr for GD, 2(1+β)/lr with momentum). Adam, RMSprop and AdaGrad show the preconditioned sharpness λmax(P^-1·H) against 38/lr (Adam at β1 = 0.9), 2(1+μ)/lr and 2/lr
view-sharpness-preconditioned = run { $run }: preconditioned λmax(P^-1·H)
view-sharpness-not-preconditioned = run { $run }: λmax(H); its optimizer's threshold is on a preconditioned sharpness
view-sharpness-threshold-legend = stability threshold of run { $run }

## src/app/views/eigen.rs
view-eigen-title = Eigen-components
view-eigen-help = The selected run's error θ_k − θ* along the Hessian's eigenvectors at the minimum: which direction converges slowly and which oscillates; dotted: what the closed-form rate predicts (SGD family)
view-eigen-abs-error-legend = |error|, { $direction }
view-eigen-error-legend = error, { $direction }
view-eigen-theory-legend = theory, { $direction }

## src/app/views/adaptive.rs
view-adaptive-title = Adaptive step
view-adaptive-help = Each coordinate's step |Δθ_i| in units of the lr for the selected run (Adam's first step is 1 whatever the gradient), RAdam's rectification r_t at the run's β2 and the rule-of-thumb linear warmup over 2/(1 − β2) steps (Ma & Yarats 2021)
view-adaptive-warmup-note = run { $run }, 2/(1 − β2) = { $steps }
view-adaptive-adam-only = run { $run }; r_t: Adam family only
view-adaptive-rectification-legend = RAdam's r_t
view-adaptive-ramp-legend = 2/(1 − β2) ramp

## The language menu: the same words in every language, so either reader finds it
language-menu = EN / 中文
language-menu-help = Language of the interface · 界面语言

## The Presets menu's topics
topic-stability = Learning rate and stability
topic-momentum = Momentum
topic-adaptive = Adaptive methods
topic-landscapes = Saddles, minima and your own surface
topic-schedules = Schedules and warmup
topic-same-name = Same name, different rule
topic-networks = Small networks
gallery-title = optiscope: lecture scenes
gallery-intro = Each card opens its scene in optiscope, in the browser, offline: drag the learning rate, change the schedule, and save what you find.
gallery-open-app = Open the app
gallery-footer = optiscope shows how learning rates, schedules and optimizers move a point across a loss surface; the app is the one file optiscope.html beside this page.

## A run's status (the command line prints the English)
status-running = running, not converged in { $steps } steps
status-converged = converged at step { $step }
status-undefined-start = f is undefined at the start
status-diverged = diverged at step { $step } (lr = { $lr })
status-singular = singular Hessian at step { $step }
status-ascent = lr < 0 from step { $step } (lr = { $lr }): gradient ascent

## Colour names that scene notes write as {"{"}white{"}"}, {"{"}yellow{"}"}...
colour-white = white
colour-black = black
colour-orange = orange
colour-sky-blue = sky blue
colour-green = green
colour-yellow = yellow
colour-olive = olive
colour-vermillion = vermillion
colour-pink = pink
colour-blue = blue

## Texts of the pictures (window and Export alike)
picture-minimum = minimum
picture-saddle = saddle
picture-maximum = maximum
picture-beyond-view = { $name } (beyond the view)
picture-start = start
picture-more = +{ $n } more
picture-step-counter = step { $step } / { $steps }

## What an export wrote
export-kind-png = picture (PNG)
export-kind-gif = animation (GIF)
export-kind-csv = trajectories (CSV)
export-saved-picture = Saved the { $kind } to { $place } ({ $kib } kB).
export-nothing-written = Nothing was written.
export-no-runs = The scene has no runs; nothing was written.
export-saved-file = Saved { $place }.
export-saved-csvs = Saved { $n } CSV files ({ $first } … { $last }).
export-saved-csvs-in = Saved { $n } CSV files ({ $first } … { $last }) in { $dir }.

## Errors the window shows (Display keeps this English for the command line)
error-field = { $field }: { $error }
error-did-you-mean = {" "}(did you mean '{ $name }'?)
error-family-optimizer = optimizer
error-family-surface = surface
error-family-schedule = schedule
error-family-warmup = warmup
error-family-data-set = data set
error-family-model = model
error-spec-syntax = cannot parse '{ $text }': { $message }
error-spec-unknown = unknown { $family } '{ $name }'{ $hint }; valid { $family }s: { $valid }
error-spec-unknown-param = unknown parameter '{ $key }' for { $family } '{ $item }'{ $hint }; valid parameters: { $valid }
error-spec-no-params = none (it takes no parameters)
error-spec-duplicate = parameter '{ $key }' of { $family } '{ $item }' is given twice
error-spec-missing = { $family } '{ $item }' needs parameter '{ $key }' ({ $doc }), e.g. { $example }
error-spec-bad-value = parameter '{ $key }' of { $family } '{ $item }': '{ $value }' is not valid; expected { $expected }
error-spec-invalid = { $family } '{ $item }': { $message }
error-expected-finite = a finite number
error-expected-non-negative = a number >= 0
error-expected-positive = a number > 0
error-expected-unit-open = a number in [0, 1)
error-expected-unit = a number in [0, 1]
error-expected-unit-positive = a number in (0, 1]
error-expected-whole = a whole number >= { $min }
error-expected-bool = true or false
error-expected-choice = one of { $choices }
error-expected-int-list = a list of whole numbers >= 0, e.g. [30,80]
error-expected-num-list = a list of numbers, e.g. [0.1,0.01]
error-expected-optional = None or { $number }
error-expected-text = text
error-invalid-registered = an item of this name is already registered
error-invalid-nesterov = nesterov=true needs momentum > 0 and dampening = 0
error-invalid-needs-surface = needs the surface itself (its Hessian or its flow): it runs on the 2D surfaces, not on a network's parameters
error-invalid-too-many-points = n = { $n } is too many points; at most { $max } keep training live
error-invalid-empty-layer = hidden layers need at least one unit each
error-invalid-network-too-large = a small network: at most { $layers } hidden layers of at most { $width } units
error-invalid-piecewise = needs at least one boundary and one value more than boundaries (has { $boundaries } boundaries and { $values } values)
error-invalid-one-cycle = pct_start = { $pct } with total_steps = { $total } leaves a phase without steps; every phase needs at least one step (e.g. pct_start between { $low } and { $high })
error-invalid-too-many-rows = n = { $n } is more than 1000000 data points
error-invalid-batch-too-large = batch_size = { $batch_size } is larger than the data set (n = { $n })
error-invalid-view = the view needs x_min < x_max and y_min < y_max
error-syntax-no-name = the name is missing
error-syntax-bad-name = unexpected '{ $bad }' in name '{ $name }' (names are letters, digits, '_' and '.')
error-syntax-no-closing-paren = missing ')' at the end
error-syntax-empty-param = empty parameter (two commas in a row?)
error-syntax-not-key-value = expected key=value, found '{ $found }'
error-syntax-bad-key = '{ $key }' is not a parameter name
error-syntax-twice = parameter '{ $key }' is given twice
error-syntax-unmatched = unmatched '{ $bracket }'
error-syntax-unmatched-quote = unmatched '"'
error-syntax-unclosed = unmatched '[' or '('
error-syntax-no-value = a value is missing after '='
error-syntax-unbalanced-quotes = '{ $value }' has unbalanced quotes
error-syntax-unclosed-list = list '{ $list }' is missing its ']'
error-syntax-not-a-number = '{ $item }' in list '{ $list }' is not a number
error-formula-hint-surface = write f in x and y, e.g. x^2 + 10*y^2
error-formula-hint-epoch-rule = write the new rate in epoch, lr and lr0, e.g. lr0 * 0.1^floor(epoch/10)
error-formula-empty = the formula is empty; { $hint }
error-formula-too-long = the formula is { $chars } characters long; at most { $max } are accepted
error-formula-too-deep = the formula nests parentheses more than { $max } deep (at character { $at })
error-formula-closes-nothing = '{ $formula }': the ')' at character { $at } closes nothing
error-formula-left-open = '{ $formula }': { $depth } '(' left open
error-formula-unknown-function = '{ $formula }': unknown function '{ $name }'{ $hint }; the functions are { $valid }
error-formula-unknown-variable = '{ $formula }': unknown variable '{ $name }'{ $hint }; the variables are { $valid }
error-formula-x-and-y = x and y
error-formula-parse = '{ $formula }': { $message }
error-formula-cannot-evaluate = '{ $formula }' cannot be evaluated: { $message }
error-settings-value = { $what } = { $value } is not valid: expected { $expected }
error-settings-non-negative = a finite number >= 0
error-settings-point = two finite numbers (x, y)
error-settings-max-steps = at most 100000000
error-settings-no-batch-size = no batch size: it applies to the linreg surface only
error-settings-no-noise = 0: a network's gradient noise comes from its minibatches (batch_size)
error-settings-no-start = none: a network starts from the initialization its seed draws
error-settings-batch-rows = 1 to the number of training rows (leave it out for full batch)
error-settings-start-point = a start point (x, y)
error-plane-no-weights = the run has no weights to centre the slice on
error-plane-flat = run { $run }'s path does not span two directions (did it move?)
error-preset-missing-surface = missing field `surface` (e.g. `surface: "rosenbrock"`, or a `network`)
error-preset-missing-start = missing field `start` (e.g. `start: (-1.5, 2.0)`)
error-preset-run-count = a scene has 1 to { $max } runs, this one has { $runs }
error-preset-network-run = { $run } names no run; the scene has runs 0 to { $last }
error-preset-read = cannot read '{ $path }': { $message }
error-preset-parse = { $path }:{ $line }:{ $column }: { $message }
error-preset-write = cannot save '{ $path }': { $message }
error-preset-directory = it is a directory, not a preset file
error-preset-not-utf8 = not UTF-8 text ({ $reason }); is it a preset?
error-preset-missing-field = missing field `{ $field }`{ $why }
error-preset-why-version = {" "}(write `version: 1` first)
error-preset-why-surface = {" "}(e.g. `surface: "rosenbrock"`)
error-preset-why-start = {" "}(e.g. `start: (-1.5, 2.0)`)
error-preset-why-runs = {" "}(a list of runs, e.g. `runs: [(optimizer: "sgd", lr: 0.1)]`)
error-preset-why-optimizer = {" "}(e.g. `optimizer: "adam(beta1=0.8)"`)
error-preset-why-lr = {" "}(the base learning rate, e.g. `lr: 0.01`)
error-preset-version = version { $found } is not supported: this optiscope reads version { $version }
error-preset-speed = speed = { $speed } is not valid; expected steps per second from 1 to 10000
error-preset-too-many-steps = steps = { $steps } is too many; a scene's runs take at most { $max } steps
error-preset-view = view = { $view } is not valid; expected finite x_min < x_max and y_min < y_max
error-link-foreign = this is not an optiscope scene link: its fragment (after '#') has no 'scene=' part
error-link-no-version = the scene link is incomplete: 'scene=' must be followed by a version and the data, as in 'scene=1.…'
error-link-version = the scene link was made by another optiscope: link format { $found }, this one reads format { $version }
error-link-damaged = the scene link is damaged: { $damage } (was it cut off when it was copied?)
error-link-preset = the scene in the link is not valid: { $error }
error-link-encode = the scene cannot be written as a link: { $message }
error-page-missing = the one-file app { $path } is not there: build it with `web/build.sh` (it writes { $built })
error-page-read = cannot read the one-file app { $path }: { $error }
error-page-no-slot = { $name } is not optiscope's one-file app: it has no scene slot; rebuild it with `web/build.sh`
error-link-bad-character = character { $at } of the data, '{ $byte }', cannot be part of a link
error-link-too-large = it unpacks to more than { $mb } MB
error-link-no-unpack = its data does not unpack
error-link-not-text = its data is not text
error-link-origin = the link
error-write-directory = it is a directory
error-write-no-file-name = the path has no file name
error-write-refused = the browser refused the download: { $reason }
error-script-no-run = the scene has no run { $index } (it has { $runs })
error-script-framework = run { $run } uses { $optimizer }, which follows { $framework }'s update rule; its script is written with { $framework } (Copy as { $framework }, `optiscope { $command }`)
error-platform-no-dialog = No file dialog could be opened on this desktop; type the path instead.
error-platform-picker = the browser's file picker could not be opened: { $reason }
error-platform-open-folder = cannot open '{ $dir }': { $reason }
error-platform-no-folders = the browser keeps its downloads itself
error-render-network = a network scene: render draws surfaces and their paths; the window shows a network's data and landscape
error-render-size = a picture of { $width }×{ $height } pixels: each side must be { $min } to { $max }
error-render-draw = drawing failed: { $reason }
error-render-encode = encoding failed: { $reason }
error-export-write = cannot write '{ $path }': { $error }
error-export-run = run { $run }: { $error }
error-sweep-range-test = a range test needs 0 < start_lr < end_lr, at least 2 steps and 0 <= beta < 1, got { $got }
error-sweep-worker-failed = a sweep worker stopped unexpectedly after { $computed } of { $count } cells; please report this
error-search-lr-min = lr_min must be positive and finite, got { $lr_min }
error-search-lr-max = lr_max must be finite and above lr_min = { $lr_min }, got { $lr_max }
error-search-no-initial = initial must be at least 1, got 0
