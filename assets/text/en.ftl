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

## src/app/network_ui.rs
network-random-directions = Random directions
network-principal-directions = Principal directions
network-final-weights = final weights
network-initial-weights = initial weights

## src/app/present_ui.rs
present-keyboard-shortcuts = Keyboard shortcuts

## src/app/explain_ui.rs
explain-explain-the-update = Explain the update

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

## src/app/step_plot.rs
steps-fit-the-plot-to-its = Fit the plot to its data (or double-click the plot)
steps-fit = Fit

## src/app/views/mod.rs
view-log-y = log y

## src/app/views/phase.rs
view-phase-along-the-eigenvector-of-the = Along the eigenvector of the smallest eigenvalue
view-phase-along-the-eigenvector-of-the-2 = Along the eigenvector of the largest eigenvalue
view-phase-slow = slow
view-phase-fast = fast

## src/app/toast.rs
toast-cancel = Cancel
