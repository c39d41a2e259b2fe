//! The Keras 3 target: `keras.Variable` parameters updated by the run's `keras.optimizers`
//! optimizer in float64 on the torch backend, the gradient from torch.

use super::rate::{RateLoop, rate_loop, warmup_code};
use super::{
    NETWORK_GUARD, NETWORK_TENSORS, ScriptError, SurfaceParts, Target, imports, loss_class,
    network_data, network_header, optimizer_code,
};
use crate::core::math::Point;
use crate::core::python::py;
use crate::core::run::settings::RunSettings;
use crate::core::schedule::{RateCode, SCHEDULES};
use crate::core::spec::SpecError;
use crate::scene::preset::{NetworkScene, Preset, SceneRun};

pub(super) const TARGET: Target = Target {
    surface,
    network: keras_network_script,
};

/// A surface run's parts: θ a `keras.Variable`, the gradient from torch, the update by
/// `apply_gradients`.
fn surface(spec: &RunSettings, start: Point) -> Result<SurfaceParts, SpecError> {
    let k = keras_rate(spec)?;
    let (optimizer, _) = optimizer_code(&spec.optimizer, k.learning_rate)?;
    Ok(SurfaceParts {
        with: "Keras 3 (keras.optimizers, float64)",
        keras: true,
        rate: k.rate,
        pre_setup: k.pre_setup,
        theta: format!(
            "keras.Variable([{}, {}], dtype=\"float64\")",
            py(start[0]),
            py(start[1])
        ),
        optimizer,
        evaluate: "    p = theta.value.detach().clone().requires_grad_(True)\n    loss = f(p)\n    (grad,) = torch.autograd.grad(loss, p)\n    x, y = p.tolist()\n",
        read: k.read,
        before_update: k.before_update,
        update: "        optimizer.apply_gradients([(grad, theta)])\n",
    })
}

/// How a Keras script drives its optimizer's rate: `learning_rate` given to the optimizer,
/// the setup after it, what the loop does before it reads the rate, the expression it reads,
/// what it does before and after the update.
struct KerasRate {
    learning_rate: &'static str,
    pre_setup: String,
    rate: RateLoop,
    read: &'static str,
    before_update: &'static str,
}

fn keras_rate(spec: &RunSettings) -> Result<KerasRate, SpecError> {
    let (item, args) = SCHEDULES.resolve_item(&spec.schedule)?;
    let code = (item.python)(&args, spec.lr);
    let (warm, _) = warmup_code(&spec.warmup)?;
    let direct = |pre_setup: String, rate: RateLoop, learning_rate| KerasRate {
        learning_rate,
        pre_setup,
        rate,
        read: "float(optimizer.learning_rate)",
        before_update: "",
    };
    Ok(match (code, warm) {
        (RateCode::Constant, None) => direct(String::new(), RateLoop::default(), "lr0"),
        (RateCode::Keras(k), None) => direct(
            format!("schedule = {k}  # called with optimizer.iterations\n"),
            RateLoop::default(),
            "schedule",
        ),
        (
            RateCode::Epochs {
                steps_per_epoch,
                rule,
            },
            None,
        ) => direct(
            String::new(),
            RateLoop {
                setup: format!(
                    "# At the start of each epoch of {steps_per_epoch} updates the rate becomes rule(epoch, lr).\nscheduler = keras.callbacks.LearningRateScheduler(lambda epoch, lr: float({rule}))\nscheduler.set_model(types.SimpleNamespace(optimizer=optimizer))\n"
                ),
                before_lr: format!(
                    "    if step % {steps_per_epoch} == 0:\n        scheduler.on_epoch_begin(step // {steps_per_epoch})\n"
                ),
                after_update: String::new(),
                keras: true,
                math_names: true,
            },
            "lr0",
        ),
        _ => KerasRate {
            learning_rate: "lr0",
            pre_setup: String::new(),
            rate: {
                let mut r = rate_loop(spec, "rates", "grad_norm")?;
                r.setup = format!(
                    "# The rate of each update is set below in rates (a torch optimizer that only holds it, so\n# torch's schedulers can drive it too) and handed to Keras's optimizer before the update.\nrates = torch.optim.SGD([torch.zeros(1)], lr=lr0)\n{}",
                    r.setup
                );
                r
            },
            read: "rates.param_groups[0][\"lr\"]",
            before_update: "        optimizer.learning_rate = lr\n",
        },
    })
}

/// The Keras script of a network scene's run: the same data and initial weights as
/// [`network_script`], the weights as `keras.Variable`s, the forward pass and its gradient
/// from torch (Keras's torch backend), and the run's `keras.optimizers` optimizer applying
/// the updates; it prints the CSV of `optiscope train`.
fn keras_network_script(
    preset: &Preset,
    network: &NetworkScene,
    index: usize,
    run: &SceneRun,
) -> Result<String, ScriptError> {
    use crate::core::network::Activation;
    let spec = &run.settings;
    let training = crate::core::network::train::Training::new(&network.train_settings(spec))?;
    let k = keras_rate(spec)?;
    let mut out = network_header(
        preset,
        network,
        index,
        "Keras 3 (keras.optimizers, float64)",
    );
    out.push_str("import json\n");
    out.push_str(&imports(true, k.rate.math_names));
    out.push('\n');
    out.push_str(&network_data(&training));
    let activation = match training.net.activation {
        Activation::Tanh => "torch.tanh",
        Activation::Relu => "torch.relu",
        Activation::Sigmoid => "torch.sigmoid",
    };
    let loss = loss_class(training.data.task);
    let (optimizer, _) = optimizer_code(&spec.optimizer, k.learning_rate)?;
    out.push_str(&format!(
        r#"{tensors}
# The weights and biases of each layer, in nn.Sequential's order, as Keras variables.
variables = []
for layer in INIT["layers"]:
    variables.append(keras.Variable(layer["weight"], dtype="float64"))
    variables.append(keras.Variable(layer["bias"], dtype="float64"))
loss_fn = torch.nn.{loss}()


def forward(params, inputs):
    h = inputs
    for i in range(0, len(params), 2):
        h = torch.nn.functional.linear(h, params[i], params[i + 1])
        if i + 2 < len(params):
            h = {activation}(h)
    return h


lr0 = {lr}
{pre_setup}optimizer = {optimizer}
{setup}
steps = {steps}
print("step,lr,loss,test_loss,grad_norm")
for step in range(steps + 1):
    params = [v.value.detach().clone().requires_grad_(True) for v in variables]
    loss = loss_fn(forward(params, x), y)
    grads = torch.autograd.grad(loss, params)
    grad_norm = math.sqrt(sum(float((g ** 2).sum()) for g in grads))
{before_lr}    lr = {read}
{guard}    with torch.no_grad():
        test_loss = loss_fn(forward(params, x_test), y_test).item()
    print(step, *map(repr, [lr, loss.item(), test_loss, grad_norm]), sep=",")
    if step < steps:
        if batches is not None:
            rows = batches[step]
            grads = torch.autograd.grad(loss_fn(forward(params, x[rows]), y[rows]), params)
{before_update}        optimizer.apply_gradients(zip(grads, variables))
{after_update}"#,
        tensors = NETWORK_TENSORS,
        guard = NETWORK_GUARD,
        lr = py(spec.lr),
        pre_setup = k.pre_setup,
        setup = k.rate.setup,
        steps = spec.steps,
        before_lr = k.rate.before_lr,
        read = k.read,
        before_update = k.before_update,
        after_update = k.rate.after_update,
    ));
    Ok(out)
}
