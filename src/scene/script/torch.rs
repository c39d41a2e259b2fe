//! The torch.optim target: `torch.tensor` parameters stepped by the run's `torch.optim`
//! optimizer, and networks as `nn.Sequential` of `nn.Linear` layers.

use super::rate::{RateLoop, rate_loop};
use super::{
    NETWORK_GUARD, NETWORK_TENSORS, ScriptError, SurfaceParts, Target, imports, loss_class,
    network_data, network_header, optimizer_code,
};
use crate::core::math::Point;
use crate::core::python::py;
use crate::core::run::settings::RunSettings;
use crate::core::spec::SpecError;
use crate::scene::preset::{NetworkScene, Preset, SceneRun};

pub(super) const TARGET: Target = Target {
    surface,
    network: network_script,
};

/// A surface run's parts: θ a `torch.tensor`, the optimizer stepped after `backward()`.
fn surface(spec: &RunSettings, start: Point) -> Result<SurfaceParts, SpecError> {
    let rate: RateLoop = rate_loop(spec, "optimizer", "grad_norm")?;
    let (optimizer, class) = optimizer_code(&spec.optimizer, &py(spec.lr))?;
    let pre_setup = class.map_or_else(String::new, |class| format!("{class}\n"));
    Ok(SurfaceParts {
        with: "torch.optim",
        keras: false,
        rate,
        pre_setup,
        theta: format!(
            "torch.tensor([{}, {}], requires_grad=True)",
            py(start[0]),
            py(start[1])
        ),
        optimizer,
        evaluate: "    optimizer.zero_grad()\n    loss = f(theta)\n    loss.backward()\n    grad = theta.grad\n    x, y = theta.tolist()\n",
        read: "optimizer.param_groups[0][\"lr\"]",
        before_update: "",
        update: "        optimizer.step()\n",
    })
}

/// The script of a network scene's run: its data and initial weights inline (from the same
/// generators as `optiscope train --dump-data/--dump-init`), an `nn.Sequential` of
/// `nn.Linear` layers, `BCEWithLogitsLoss` or `MSELoss`, and the run's optimizer and schedule;
/// it prints the CSV of `optiscope train`.
fn network_script(
    preset: &Preset,
    network: &NetworkScene,
    index: usize,
    run: &SceneRun,
) -> Result<String, ScriptError> {
    use crate::core::network::Activation;
    let spec = &run.settings;
    let training = crate::core::network::train::Training::new(&network.train_settings(spec))?;
    let mut out = network_header(preset, network, index, "torch.nn and torch.optim");
    out.push_str("import json\nimport math\nimport sys\n\nimport torch\n\ntorch.set_default_dtype(torch.float64)\n\n");
    out.push_str(&network_data(&training));
    let activation = match training.net.activation {
        Activation::Tanh => "Tanh",
        Activation::Relu => "ReLU",
        Activation::Sigmoid => "Sigmoid",
    };
    let loss = loss_class(training.data.task);
    out.push_str(&format!(
        r#"{tensors}
layers = []
for i, layer in enumerate(INIT["layers"]):
    weight = torch.tensor(layer["weight"])
    linear = torch.nn.Linear(weight.shape[1], weight.shape[0])
    with torch.no_grad():
        linear.weight.copy_(weight)
        linear.bias.copy_(torch.tensor(layer["bias"]))
    layers.append(linear)
    if i + 1 < len(INIT["layers"]):
        layers.append(torch.nn.{activation}())
model = torch.nn.Sequential(*layers)
loss_fn = torch.nn.{loss}()
params = list(model.parameters())
"#,
        tensors = NETWORK_TENSORS,
    ));
    let (optimizer, class) = optimizer_code(&spec.optimizer, &py(spec.lr))?;
    if let Some(class) = class {
        out.push_str(&format!("\n{class}\n"));
    }
    out.push_str(&format!(
        "lr0 = {}\noptimizer = {}\n",
        py(spec.lr),
        optimizer.replacen("[theta]", "params", 1)
    ));
    let r = rate_loop(spec, "optimizer", "grad_norm")?;
    if r.keras || r.math_names {
        out = out.replacen(
            "import json\nimport math\nimport sys\n\nimport torch\n\ntorch.set_default_dtype(torch.float64)\n",
            &format!("import json\n{}", imports(r.keras, r.math_names)),
            1,
        );
    }
    out.push_str(&r.setup);
    out.push_str(&format!(
        r#"
steps = {steps}
print("step,lr,loss,test_loss,grad_norm")
for step in range(steps + 1):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    grad_norm = math.sqrt(sum(float((p.grad ** 2).sum()) for p in params))
{before_lr}    lr = optimizer.param_groups[0]["lr"]
{guard}    with torch.no_grad():
        test_loss = loss_fn(model(x_test), y_test).item()
    print(step, *map(repr, [lr, loss.item(), test_loss, grad_norm]), sep=",")
    if step < steps:
        if batches is not None:
            optimizer.zero_grad()
            rows = batches[step]
            loss_fn(model(x[rows]), y[rows]).backward()
        optimizer.step()
{after_update}"#,
        steps = spec.steps,
        before_lr = r.before_lr,
        guard = NETWORK_GUARD,
        after_update = r.after_update,
    ));
    Ok(out)
}
