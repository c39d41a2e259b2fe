//! The explain panel: the selected run's update rule written out, with the numbers of the
//! update at the animation cursor (gradient, moments, bias corrections, the step taken), so a
//! lecturer can point at each term.

use crate::tr;
use egui::{Color32, RichText, Ui};

use super::cache::Cache;
use super::state::Animation;
use super::state::AppState;
use crate::core::analysis::Curvature;
use crate::core::optimizer::geometry::{self, Stage};
use crate::core::run::simulation::fmt_lr;
use crate::core::run::simulation::{Run, StepDetail};
use crate::core::surface::AnySurface;

/// The update at the cursor, replayed once per run and step and shared by the explain panel
/// and the update glyphs on the surface, so scrubbing does not replay the run every frame.
#[derive(Default)]
pub struct UpdateMemo {
    key: Option<(usize, u64, u64)>,
    detail: Option<(StepDetail, Option<Curvature>)>,
}

/// The update at the cursor with the curvature where it was taken.
pub type Explained = (StepDetail, Option<Curvature>);

impl UpdateMemo {
    /// The update last replayed, if it is update `step` of run `index`.
    pub fn cached(&self, index: usize, step: u64) -> Option<&Explained> {
        let (i, _, s) = self.key?;
        (i == index && s == step).then_some(self.detail.as_ref()?)
    }

    /// The update `step` of run `index`, replayed only when run or step changed.
    pub fn get(
        &mut self,
        state: &AppState,
        cache: &Cache,
        index: usize,
        step: u64,
    ) -> Option<&Explained> {
        let result = cache.runs.get(index)?;
        let key = (index, result.generation, step);
        if self.key != Some(key) {
            self.key = Some(key);
            self.detail = replay(state, cache, index, step);
        }
        self.detail.as_ref()
    }
}

/// The update and the curvature where it was taken.
fn replay(
    state: &AppState,
    cache: &Cache,
    index: usize,
    step: u64,
) -> Option<(StepDetail, Option<Curvature>)> {
    let settings = state.scene.run_settings(index)?;
    let run = Run::new(&settings).ok()?;
    let surface_spec = settings.surface(&state.scene.surface);
    let own;
    let surface = if surface_spec == state.scene.surface {
        cache.surface.as_ref()?
    } else {
        own = AnySurface::from_spec(&surface_spec).ok()?;
        &own
    };
    let detail = run.step_detail(surface, step)?;
    let curvature = Curvature::at(surface, detail.theta);
    Some((detail, curvature))
}

fn pair(v: [f64; 2]) -> String {
    format!("({}, {})", num(v[0]), num(v[1]))
}

fn num(x: f64) -> String {
    if x == 0.0 {
        "0".to_owned()
    } else if x.abs() >= 1e-3 && x.abs() < 1e4 {
        format!("{x:.5}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_owned()
    } else {
        format!("{x:.4e}")
    }
}

/// The explain panel; returns whether it was opened (`Some(true)`) or closed this frame, so
/// the lower plot can switch to the step size |Δθ| while it is open.
pub fn explain_ui(
    ui: &mut Ui,
    state: &AppState,
    anim: &Animation,
    explained: Option<&Explained>,
    stage: Option<usize>,
) -> Option<bool> {
    let index = state.selected;
    let step = anim.step();
    let response =
        egui::CollapsingHeader::new(RichText::new(tr!("explain-explain-the-update")).strong())
            .id_salt("explain")
            .default_open(false)
            .show(ui, |ui| {
                let Some((d, curvature)) = explained.filter(|(d, _)| d.step == step) else {
                    ui.label(
                        RichText::new(tr!("explain-no-update", run = index + 1, step = step))
                            .weak(),
                    );
                    return;
                };
                // Counted from 1 like the optimizer's own step counter t: update k takes θ_{k−1}
                // to θ_k.
                ui.label(RichText::new(tr!(
                    "explain-update-of-run",
                    update = d.step + 1,
                    run = index + 1,
                    from = subscript(d.step),
                    to = subscript(d.step + 1)
                )));
                // Stepping in stages: which stage this is, and its rule lines and rows lit.
                let shown = stage.and_then(|n| Some((n, d.stages.get(n)?)));
                let stage: Option<&Stage> = shown.map(|(_, s)| s);
                if let Some((n, s)) = shown {
                    ui.label(
                        RichText::new(tr!(
                            "explain-stage-of",
                            stage = n + 1,
                            stages = d.stages.len(),
                            name = crate::text::core_text(s.name),
                            says = crate::text::core_text(s.says)
                        ))
                        .color(ui.visuals().warn_fg_color),
                    );
                }
                let (lit_fg, lit_bg) = (
                    ui.visuals().strong_text_color(),
                    ui.visuals().selection.bg_fill,
                );
                let lit = move |text: RichText, on: bool| {
                    if on {
                        text.strong().color(lit_fg).background_color(lit_bg)
                    } else {
                        text
                    }
                };
                let mono = egui::TextStyle::Monospace.resolve(ui.style());
                let painter = ui.painter().clone();
                let measure = move |s: &str| {
                    painter
                        .layout_no_wrap(s.to_owned(), mono.clone(), Color32::WHITE)
                        .size()
                        .x
                };
                let width = ui.available_width();
                for (i, line) in d.rule.iter().enumerate() {
                    let on = stage.is_some_and(|s| s.rule_lines.contains(&i));
                    // A rule too long for the panel goes on at an operator, never mid-term.
                    for piece in break_formula(line, width, &measure) {
                        ui.label(lit(RichText::new(piece).monospace(), on));
                    }
                }
                ui.add_space(4.0);
                // Name and value on one line where the panel is wide enough, the value on the
                // next line where it is not, and a pair too wide for the panel one number a line:
                // a number is never cut, at the panel's edge or inside.
                ui.vertical(|ui| {
                    let row = |ui: &mut Ui, name: &str, value: String| {
                        let on = stage.is_some_and(|s| s.terms.contains(&name));
                        let full = ui.available_width();
                        ui.horizontal_wrapped(|ui| {
                            let name = crate::text::core_text(name);
                            let name = RichText::new(format!("{name}:"));
                            ui.label(if on { lit(name, true) } else { name.weak() });
                            let pieces: Vec<&str> = if measure(&value) <= full {
                                vec![value.as_str()]
                            } else {
                                ui.end_row();
                                value.split_inclusive(", ").collect()
                            };
                            for (k, piece) in pieces.iter().enumerate() {
                                if k > 0 {
                                    ui.end_row();
                                }
                                // The second number under the first, past the bracket.
                                let piece = if k > 0 {
                                    format!(" {piece}")
                                } else {
                                    piece.trim_end().to_owned()
                                };
                                let text = lit(RichText::new(piece).monospace(), on);
                                ui.add(egui::Label::new(text).extend());
                            }
                        });
                    };
                    row(ui, geometry::LR_ROW, fmt_lr(d.lr));
                    row(ui, &tr!("explain-theta-before"), pair(d.theta));
                    row(ui, geometry::GRADIENT_ROW, pair(d.grad));
                    if d.grad_seen != d.grad {
                        row(ui, geometry::GRADIENT_SEEN_ROW, pair(d.grad_seen));
                    }
                    for t in &d.terms {
                        // The step counter is one number, not a pair.
                        let value = if t.name == "t" {
                            num(t.value[0])
                        } else {
                            pair(t.value)
                        };
                        row(ui, t.name, value);
                    }
                    row(ui, geometry::STEP_ROW, pair(d.delta));
                    if let Some(c) = curvature {
                        row(ui, geometry::HESSIAN_ROW, pair(c.eigenvalues));
                        if let Some(limit) = c.gd_limit() {
                            row(ui, &tr!("explain-gd-limit-at-theta"), num(limit));
                        }
                    }
                    row(
                        ui,
                        &tr!("explain-effective-step-size"),
                        num(d.delta[0].hypot(d.delta[1])),
                    );
                });
            });
    // Opened at the bottom of the panel, it scrolls into view (over the frames it unfolds).
    let scroll_id = ui.scope_id().with("explain-scroll");
    let toggled = response.header_response.clicked();
    let open_id = ui.scope_id().with("explain-open");
    let open = ui.data(|d| d.get_temp::<bool>(open_id)).unwrap_or(false) != toggled;
    ui.data_mut(|d| d.insert_temp(open_id, open));
    if toggled && open {
        ui.data_mut(|d| d.insert_temp(scroll_id, 10u8));
    }
    let pending = ui.data(|d| d.get_temp::<u8>(scroll_id)).unwrap_or(0);
    if pending > 0 {
        if let Some(body) = &response.body_response {
            body.scroll_to_me(Some(egui::Align::Min));
        }
        ui.data_mut(|d| d.insert_temp(scroll_id, pending - 1));
    }
    toggled.then_some(open)
}

/// `line` of an update rule as the lines it takes in a panel `width` wide (`measure` gives a
/// text's width): unchanged when it fits, otherwise broken where a reader would break it. First
/// between the equations of a line (after ",   ") and before a remark ("   (…)"), then before
/// a `+`, `−` or `/` outside brackets, then one bracket level deeper; the operator starts the
/// continued line, indented under the right-hand side. Pieces that still do not fit are left to
/// the label's wrapping.
fn break_formula(line: &str, width: f32, measure: &dyn Fn(&str) -> f32) -> Vec<String> {
    if measure(line) <= width {
        return vec![line.to_owned()];
    }
    // Where the right-hand side starts: continued lines are indented to it (at most a third of
    // the panel, so a long left side does not push them off it).
    let rhs = ["← ", "= "]
        .iter()
        .filter_map(|op| line.find(op).map(|i| line[..i + op.len()].chars().count()))
        .min()
        .unwrap_or(0);
    let indent = {
        let mut n = rhs;
        while n > 0 && measure(&" ".repeat(n)) > width / 3.0 {
            n -= 1;
        }
        " ".repeat(n)
    };
    let mut best = Vec::new();
    for depth in 0..=2 {
        let pieces = join_greedy(&cut_points(line, depth), &indent, width, measure);
        let fits = pieces.iter().all(|p| measure(p) <= width);
        best = pieces;
        if fits {
            break;
        }
    }
    best
}

/// `line` cut before each break allowed at bracket depth `max_depth` or less: (piece, whether
/// it starts a new equation that takes no indent).
fn cut_points(line: &str, max_depth: usize) -> Vec<(String, bool)> {
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    let mut fresh = false;
    let mut depth = 0usize;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().take(3).collect();
        // Three spaces: the next equation or a remark.
        if rest == "   " && depth == 0 {
            let equation = current.trim_end().ends_with(',');
            pieces.push((std::mem::take(&mut current), fresh));
            fresh = equation;
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
            continue;
        }
        let operator = c == ' '
            && matches!(chars.get(i + 1), Some('+' | '−' | '/'))
            && chars.get(i + 2) == Some(&' ');
        if operator && depth <= max_depth && !current.trim().is_empty() {
            pieces.push((std::mem::take(&mut current), fresh));
            fresh = false;
            i += 1;
            continue;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        current.push(c);
        i += 1;
    }
    pieces.push((current, fresh));
    pieces
}

/// The pieces joined into as few lines of `width` as they fill, in order.
fn join_greedy(
    pieces: &[(String, bool)],
    indent: &str,
    width: f32,
    measure: &dyn Fn(&str) -> f32,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for (piece, fresh) in pieces {
        let piece = piece.trim_end();
        match lines.last_mut() {
            Some(last) if !fresh => {
                let joined = format!("{last} {piece}");
                if measure(&joined) <= width {
                    *last = joined;
                } else {
                    lines.push(format!("{indent}{piece}"));
                }
            }
            Some(last) => {
                let joined = format!("{last}   {piece}");
                if measure(&joined) <= width {
                    *last = joined;
                } else {
                    lines.push(piece.to_owned());
                }
            }
            None => lines.push(piece.to_owned()),
        }
    }
    lines
}

/// `k` in subscript digits (θ₁₂).
fn subscript(k: u64) -> String {
    k.to_string()
        .chars()
        .map(|c| char::from_u32('₀' as u32 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::break_formula;

    /// A monospace font: every character 10 wide.
    fn mono(s: &str) -> f32 {
        s.chars().count() as f32 * 10.0
    }

    #[test]
    fn a_rule_that_fits_stays_one_line() {
        let rule = "θ ← θ − lr·g";
        assert_eq!(break_formula(rule, 200.0, &mono), vec![rule]);
    }

    #[test]
    fn two_equations_of_a_line_go_on_two_lines_whole() {
        let rule = "m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²";
        assert_eq!(
            break_formula(rule, 250.0, &mono),
            vec!["m ← β1·m + (1 − β1)·g,", "v ← β2·v + (1 − β2)·g²"]
        );
    }

    #[test]
    fn a_long_rule_goes_on_before_an_operator_outside_brackets() {
        let rule = "θ ← θ − lr·m_hat / (√v_hat + eps)";
        // 33 characters in 20: cut before "/" (outside the brackets), not inside "(√v_hat + eps)".
        assert_eq!(
            break_formula(rule, 200.0, &mono),
            vec!["θ ← θ − lr·m_hat", "    / (√v_hat + eps)"]
        );
        // A remark goes under its equation.
        let remark = "v ← μ·v − lr·g   (v is in units of lr)";
        assert_eq!(
            break_formula(remark, 220.0, &mono),
            vec!["v ← μ·v − lr·g", "    (v is in units of lr)"]
        );
    }

    #[test]
    fn only_when_nothing_else_fits_does_a_break_go_inside_brackets() {
        let rule = "θ ← θ − lr·[(1 − μ_t)·g/(1 − Πμ) + μ_{t+1}·m/(1 − Πμ·μ_{t+1})] / (√v_hat + ε)";
        let lines = break_formula(rule, 300.0, &mono);
        assert!(lines.iter().all(|l| mono(l) <= 300.0), "{lines:?}");
        // Every line break sits before an operator: the pieces, trimmed, join back to the rule.
        let joined: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
        assert_eq!(joined.join(" "), rule);
        assert!(
            lines[1..]
                .iter()
                .all(|l| l.trim_start().starts_with(['+', '−', '/']))
        );
    }
}
