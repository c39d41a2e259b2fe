# optiscope：窗口中的简体中文文本。每个 id 一条消息；`{ $name }` 是参数。
# 由 en.ftl 翻译而来；新增消息请先加到 en.ftl，再在此处按相同顺序翻译。


## src/app/controls_ui.rs
controls-start = 起点
controls-steps = 步数
controls-optiscope = optiscope
controls-network = 网络
controls-surface = 曲面
controls-runs = 运行
controls-add = 添加
controls-duplicate = 复制
controls-remove = 删除
controls-no-positive-curvature-at-the = 起点处没有正曲率：GD 无稳定性上限
controls-learning-rate = 学习率
controls-full-batch = 全批量
controls-the-surface-s = 沿用曲面
controls-the-scene-s = 沿用场景
controls-momentum-lets-a-larger-learning = 动量使更大的学习率也能保持稳定：上限随 β 增大。
controls-stepping-in-stages-step-shows = 分阶段单步：单步显示下一阶段
controls-animation-speed-steps-per-second = 动画速度（每秒步数）
controls-median-cpu-time-of-the = 最近 240 帧构建界面所用 CPU 时间的中位数
controls-edit-the-scene-s-title = 编辑场景的标题和注释
controls-click-or-drag-on-the = 在曲面上单击或拖动以移动起点
controls-arrows-of-grad-f-where = −grad f 的箭头：梯度下降法从各点出发时被推向的方向
controls-the-hessian-s-eigen-directions = 起点处黑塞矩阵的特征方向及其特征值
controls-add-a-run-up-to = 添加一个运行（最多 8 个）
controls-copy-the-selected-run = 复制所选运行
controls-remove-the-selected-run = 删除所选运行
controls-color-of-this-run = 此运行的颜色
controls-show-this-run = 显示此运行
controls-drag-shift-for-fine-control = 拖动（按住 Shift 微调），或点击数字直接输入数值
controls-seed-of-the-initial-weights = 初始权重和小批量顺序的随机种子
controls-standard-deviation-of-gaussian-noise = 加到每个梯度分量上的高斯噪声的标准差
controls-seed-of-the-noise-and = 噪声和小批量采样的随机种子
controls-this-run-s-own-minibatch = 此运行自己的小批量大小（0 = 全批量，1 = SGD），不沿用曲面的设置
controls-start-this-run-from-its = 让此运行从自己的起点出发，而不是场景的起点；此时曲面上的手柄移动的是此运行的起点
controls-pause = 暂停
controls-timeline = 时间轴
controls-steps-s = 步/秒
controls-contour-lines = 等高线
controls-gradient-field = 梯度场
controls-curvature = 曲率
controls-show = 显示
controls-minibatch = 小批量
controls-batch-size = 批量大小
controls-own-start = 独立起点
controls-in-stages = 分阶段
controls-untitled-scene = 未命名场景
controls-done = 完成
controls-edit = 编辑
controls-title = 标题
controls-notes-hint = 注释：要看什么，为什么会这样
controls-model = 模型
controls-data = 数据
controls-sharpness-every = 锐度计算间隔
controls-sharpness-every-help = 两次计算训练损失黑塞矩阵 λmax 之间相隔的步数（在后台对精确的黑塞矩阵-向量积做幂迭代）；0：不计算
controls-steps-suffix = 步
controls-network-summary = { $sizes } 网络，{ $parameters } 个参数；{ $training } 个训练点，{ $held_out } 个测试点
controls-undefined-share = 视图中 { $share } 的区域上 f 无定义（非数值），以灰色斜线标出；运行一旦走到那里就会停止
controls-under-one-percent = 不到 1%
controls-update-arrows = 更新箭头
controls-update-arrows-help = 在光标处按比例绘制所选运行的更新：普通梯度步 −lr·grad f（琥珀色）、动量（紫色）、逐坐标缩放（青色方框）、牛顿法的局部模型，以及实际走出的一步（绿色）
controls-in-stages-help = 单步时每次只显示更新的一个阶段（梯度、动量、缩放、步），并在解释面板中高亮对应的项
controls-same-in-help = 用 { $framework } 的 { $optimizer } 添加所选运行：名称相同，数值相同；看看各框架在哪里出现分歧
controls-no-twin = { $framework } 中没有同名优化器
controls-same-in = { $framework } 版
controls-at-most-runs = 一个场景最多有 8 个运行
controls-training-step = 训练中：第 { $step } / { $steps } 步
controls-trained = 已训练 { $steps } 步：损失 { $loss }，测试集 { $held_out }
controls-run-settings = 运行 { $run } 设置
controls-optimizer = 优化器
controls-gd-limit-mark = GD 上限 2/λmax
controls-momentum-limit-mark = 动量上限
controls-limit-mark = { $name }：lr = { $lr }
controls-flow-no-limit = 梯度流不走离散步：对任意 lr 都稳定
controls-adaptive-no-limit = 此优化器会重新缩放步长，因此不存在固定 lr 的上限
controls-decay = 衰减
controls-warmup = 预热
controls-minibatch-help = 每次更新使用的行数，每个 epoch 按种子重新打乱；关闭：使用整个训练集（批量梯度下降）
controls-seed = 种子
controls-noise = 噪声 σ
controls-computed = 已计算 { $steps } 步，用时 { $ms } ms
controls-condition-number = ，条件数 κ = { $kappa }
controls-start-hessian = 起点处的黑塞矩阵：λ = { $lo }, { $hi }{ $kappa }
controls-stable-below = { $what }：lr < { $limit } 时稳定
controls-stable-above = { $what }：lr < { $limit } 时稳定；当前已超出
controls-plain-gd-limit = 普通 GD 在 lr < { $limit }（2/λmax）时稳定；{ $why }
controls-gd-limit-line = GD (2/λmax)
controls-gd-limit-help = 梯度下降法每一步都把最陡方向上的分量乘以 (1 − lr·λmax)：在二次函数上，它恰好在 lr < 2/λmax 时收敛；在其他函数上，这一结论在起点附近成立。
controls-nesterov = Nesterov
controls-heavy-ball = 重球法
controls-step-of = 第 { $step } / { $steps } 步
controls-frame-time = 每帧 { $ms } ms

## src/app/files.rs
files-paste-a-scene-link-or = 粘贴场景链接（或 '#' 之后的部分）。
files-the-current-scene-is-unchanged = 当前场景保持不变。
files-unsaved-changes = 未保存的更改
files-open-link = 打开链接
files-could-not-open-or-save = 无法打开或保存
files-open = 打开
files-no-recent-files = 没有最近文件
files-unsaved-changes-2 = • 有未保存的更改
files-file = 文件
files-recent = 最近
files-export = 导出
files-presets = 场景
files-analyze = 分析
files-save = 保存
files-discard-changes = 放弃更改
files-cancel = 取消
files-ok = 确定
files-not-saved-yet = 尚未保存到文件
files-drop-hint = 拖入 .ron 场景文件即可打开
files-untitled = 未命名
files-window-title-with-file = { $marker }{ $title } ({ $file }) — optiscope
files-window-title = { $marker }{ $title } — optiscope
files-quitting = 退出
files-starting-a-new-scene = 新建场景
files-opening-another-scene = 打开其他场景
files-discard-question = { $what }将丢弃对 '{ $scene }' 的更改。要先保存吗？
files-export-kind = 导出 { $kind }
files-save-preset = 保存场景
files-open-preset = 打开场景
files-preset-filter = optiscope 场景
files-save-page = 另存为网页
files-page-filter = 网页
files-save-page-needs-build = 需要单文件版应用：请运行 web/build.sh
files-path-hint = /path/to/scene.ron

## src/app/sweep_ui.rs
sweep-learning-rates = 学习率
sweep-to = 至
sweep-log-spaced = 对数间隔，
sweep-values = 个值
sweep-second-axis = 第二轴
sweep-no-decreasing-stretch-found = 未找到损失下降的区间
sweep-no-run-finished = 没有运行完成
sweep-lr-range-test = LR 范围测试
sweep-bayesian-search = 贝叶斯优化
sweep-against-the-base-learning-rate = 随基础学习率的变化；红色：发散。点击可采用对应的 lr。
sweep-simulate-the-run-once-per = 每个格子模拟一次该运行，使用全部 CPU 核心
sweep-fastai-s-lr-find-one = fastai 的 lr_find：一次学习率按指数增长的短运行
sweep-set-the-run-to-the = 将该运行设为闭式最优值
sweep-cancel = 取消
sweep-apply = 应用
sweep-which-learning-rates-work = 哪些学习率可行？
sweep-final-loss = 最终损失
sweep-steps-to-converge = 收敛步数
sweep-axis-none = 无（1D）
sweep-axis-momentum = 动量
sweep-axis-warmup-steps = 预热步数
sweep-axis-decay-rate = 衰减率
sweep-finished = 扫描完成：{ $runs } 个运行，用时 { $seconds } 秒。
sweep-crashed = 扫描意外中止，请报告此问题
sweep-about-run = 运行 { $run }：{ $surface } 上的 { $label }，从 ({ $x }, { $y }) 出发 { $steps } 步
sweep-progress = { $done } / { $runs } 个运行
sweep-run-sweep = 开始扫描
sweep-range-test-finished = 范围测试完成：损失在 lr { $lr } 处下降最快。
sweep-range-test-no-suggestion = 范围测试完成，但没有得出建议值。
sweep-bayesian-search-help = 逐个选取 { $trials } 个运行：用高斯过程对最终损失关于 log lr 建模，每次取期望改进最大处的 lr 作为下一个
sweep-bayesian-search-finished = 贝叶斯优化完成：{ $trials } 个运行中最好的使用 lr { $lr }。
sweep-lr-log-scale = 学习率（对数坐标）

## src/app/network_ui.rs
network-random-directions = 随机方向
network-principal-directions = 主成分方向
network-final-weights = 最终权重
network-initial-weights = 初始权重
network-cannot-be-built = 无法构建网络：{ $error }
network-data-and-boundary = 数据与决策边界
network-data-and-fit = 数据与拟合曲线
network-boundary-legend = 边界，运行 { $run }
network-class-legend = 类别 { $class }
network-held-out-hollow = 测试集（空心）
network-training-legend = 训练集
network-held-out-legend = 测试集
network-fit-legend = 拟合
network-run-error = 运行 { $run }：{ $error }
network-run-training = 运行 { $run }：训练中…
network-run-step = 运行 { $run }，第 { $step } 步
network-caption-loss = ：损失 { $loss }（测试集 { $held_out }）
network-caption-accuracy = 准确率 { $accuracy }%（测试集 { $held_out }%）
network-landscape-random-title = 损失曲面：随机方向（种子 { $seed }），穿过运行 { $run } 的{ $centre }权重
network-landscape-pca-title = 损失曲面：运行 { $run } 的前两个主成分方向，穿过其{ $centre }权重
network-random = 随机
network-principal = 主成分
network-random-directions-help = 两个经过滤波器归一化的高斯方向（Li et al. 2018）：所有运行的轨迹都画在同一个固定平面上
network-principal-directions-help = 中心运行移动幅度最大的平面（对其轨迹做 PCA）：从轨迹铺展得最开的角度观察它
network-seed-prefix = 种子
network-run = 运行 { $run }
network-waiting-for-run = 等待运行 { $run } 完成训练…
network-computing-slice = 正在计算 { $n }×{ $n } 的切片
network-centre-legend = 中心
network-loss-log = 损失（对数）
network-loss = 损失
network-final = 最终
network-initial = 初始

## src/app/present_ui.rs
present-keyboard-shortcuts = 键盘快捷键
present-wheel-on-surface = 在曲面上滚动滚轮
present-wheel-on-surface-help = 以指针为中心缩放
present-drag-on-surface = 在曲面上拖动
present-drag-on-surface-help = 平移；拖动白色方块可移动起点
present-click-on-surface = 在曲面上单击
present-click-on-surface-help = 让所选运行从该处出发
present-wheel-on-plot = 在图表上滚轮 / 拖动
present-wheel-on-plot-help = 缩放 / 平移图表
present-double-click-plot = 双击图表
present-double-click-plot-help = 让图表适配其数据（或点击图表的适配按钮）

## src/app/explain_ui.rs
explain-explain-the-update = 解释本次更新
explain-no-update = 运行 { $run } 在第 { $step } 步没有更新（它在此之前已结束或发散）。
explain-update-of-run = 运行 { $run } 的第 { $update } 次更新（θ{ $from } 到 θ{ $to }）
explain-stage-of = 阶段 { $stage }/{ $stages }，{ $name }：{ $says }
explain-theta-before = θ（更新前）
explain-gd-limit-at-theta = θ 处的 2/λmax
explain-effective-step-size = |Δθ|（有效步长）

## src/app/commands.rs：命令表（工具栏、菜单、? 快捷键浮层）
command-rewind = 首步
command-rewind-help = 回到第 0 步
command-back = 后退
command-back-help = 后退一步
command-play = 播放
command-play-help = 播放 / 暂停
command-step = 单步
command-step-help = 前进一步
command-end = 末步
command-end-help = 跳到最后一步
command-reset-view = 重置视图
command-reset-view-help = 显示曲面的默认区域
command-3d = 3D
command-3d-help = 以 3D 显示曲面：拖动以旋转，滚轮缩放，双击复位
command-present = 演示
command-present-help = 演示模式：全屏、大字号，场景注释以横幅显示
command-light = 亮色
command-light-help = 适合投影仪的高对比度亮色主题
command-controls = 面板
command-controls-help = 显示 / 隐藏左侧面板
command-next-scene = 下一场景
command-next-scene-help = 下一个内置场景
command-previous-scene = 上一场景
command-previous-scene-help = 上一个内置场景
command-help = ?
command-help-help = 键盘快捷键
command-close-help = 关闭帮助
command-close-help-help = 关闭快捷键浮层
command-new = 新建
command-new-help = 新建场景
command-open = 打开…
command-open-help = 打开场景文件
command-save = 保存
command-save-help = 保存场景
command-save-as = 另存为…
command-save-as-help = 将场景保存到另一个文件
command-copy-link-to-this-scene = 复制场景链接
command-copy-link-to-this-scene-help = 将一个打开此场景（含动画位置）的链接复制到剪贴板，可在网页版中打开（桌面版中用 文件 ▸ 打开链接…）
command-open-link = 打开链接…
command-open-link-help = 打开别人发来的场景链接（粘贴进来）
command-save-as-web-page = 另存为网页…
command-save-as-web-page-help = 把整个应用存成一个打开即是此场景的 HTML 文件，离线双击即可打开：可用邮件发送、拷到 U 盘或放到课程网页上
command-copy-embed-code = 复制嵌入代码
command-copy-embed-code-help = 将一个以精简界面（损失曲面、学习率曲线、播放、单步和学习率滑块）显示此场景的 <iframe> 复制到剪贴板，可放进幻灯片、课程网页或 notebook
command-quit = 退出
command-quit-help = 关闭窗口
command-picture-png = 图片（PNG）…
command-picture-png-help = 当前步的曲面和各运行，1600×1000
command-animation-gif = 动画（GIF）…
command-animation-gif-help = 各运行移动的动画，800×500，每秒 20 帧
command-trajectories-csv = 轨迹（CSV）…
command-trajectories-csv-help = 每个运行一个 CSV 文件，列与 `optiscope trace` 相同
command-copy-run-as-pytorch = 复制为 PyTorch 脚本
command-copy-run-as-pytorch-help = 将复现所选运行的 Python 脚本复制到剪贴板，使用 torch.optim 和 torch.optim.lr_scheduler；适用于 torch.optim 的优化器
command-copy-run-as-keras = 复制为 Keras 脚本
command-copy-run-as-keras-help = 将复现所选运行的 Python 脚本复制到剪贴板，使用 Keras 3 的 keras.optimizers 和 keras.optimizers.schedules（float64）；适用于 keras.* 优化器
command-which-learning-rates-work = 哪些学习率可行？
command-which-learning-rates-work-help = 在一系列学习率上扫描所选运行，或进行学习率范围测试
command-show-frame-time = 显示帧耗时
command-show-frame-time-help = 在工具栏中显示窗口构建一帧所需的时间（演示模式下隐藏）

## src/app/plots_ui.rs
plots-learning-rate-per-step = 每步的学习率
plots-untick-log-y-to-see = 取消勾选 log y 可查看学习率在何处变为负值
plots-log-y = log y
plots-negative-rates-not-on-log = 小于 0 的学习率无法画在对数轴上
plots-warmup = 预热
plots-stability-limit-of-run = 运行 { $run } 的稳定性上限
plots-stability-limit-lr = 稳定性上限 lr = { $lr }
plots-far-above = 远高于此（勾选 log y 可见）
plots-gradient-ascent-line = lr = 0：低于此线为梯度上升

## src/app/step_plot.rs
steps-fit-the-plot-to-its = 让图表适配其数据（或双击图表）
steps-fit = 适配
steps-step-axis = 步

## src/app/views/mod.rs
view-log-y = log y
view-direction-slow = 慢
view-direction-fast = 快
view-eigen-note = 运行 { $run }，λ = { $slow } / { $fast }
view-no-hessian-at-end = 运行 { $run } 在终点处没有黑塞矩阵

## src/app/views/phase.rs
view-phase-along-the-eigenvector-of-the = 沿最小特征值对应的特征向量
view-phase-along-the-eigenvector-of-the-2 = 沿最大特征值对应的特征向量
view-phase-slow = 慢
view-phase-fast = 快
view-phase-title = 相图
view-phase-help = 所选运行沿一个特征向量的位置与速度（θ_k − θ_{"{"}k−1{"}"}）的关系，截至光标处：动量法呈螺旋状，梯度下降法沿直线行进
view-phase-position = 位置
view-phase-velocity = 速度
view-phase-direction-legend = { $direction }方向
view-phase-cursor-legend = 光标
view-phase-optimum-legend = 最优点

## src/app/toast.rs
toast-cancel = 取消
toast-progress = { $done } / { $of }
toast-open-folder = 打开文件夹

## src/app/execute.rs
execute-opened = 已打开 { $name }。
execute-could-not-open-link = 无法打开链接：{ $message }。屏幕上的场景保持不变。
execute-copied-link = 已将此场景的链接复制到剪贴板（{ $size } 个字符）。
execute-saved-to = 已将场景保存到 { $place }。
platform-in-your-downloads = 下载文件夹中的 { $name }
execute-export-surface-only = 导出 { $kind } 只能绘制曲面场景，暂不支持网络场景（请截图，或导出其运行的 CSV）。
execute-exporting = 正在导出 { $kind }…
execute-copied-script = 已将运行 { $run } 的 { $framework } 脚本复制到剪贴板。
execute-export-failed = 导出失败：{ $message }
execute-copied-embed = 已将显示此场景的 <iframe>（640 × 400）复制到剪贴板。
execute-making-page = 正在生成网页…
execute-saved-page = 已将场景另存为网页：{ $place }。
execute-page-failed = 无法保存网页：{ $message }
embed-full-app = 完整界面
embed-full-app-help = 在完整的应用中打开此场景，显示全部控件
embed-run-lr = { $run } 的学习率
execute-export-cancelled = 导出已取消。
execute-export-crashed = 导出失败：导出过程意外中止，请报告此问题。

## src/app/layout.rs
layout-stage-label = 阶段 { $stage }/{ $stages }：{ $name }
layout-open-folder-failed = 打开文件夹失败：{ $error }

## src/app/network.rs
network-data-error = 数据：{ $error }
network-model-error = 模型：{ $error }
network-training-crashed = 训练意外中止，请报告此问题

## src/app/surface_ui.rs
surface-settings-not-valid = 曲面设置无效，请查看左侧面板。
surface-start-legend = 起点
surface-f-log = f（对数）

## src/app/params_ui.rs
params-auto = 自动
params-reset = { $value }（重置）

## src/app/actions.rs
actions-sweep-needs-surface = 扫描和范围测试只能在曲面上进行；网络场景请改为让各运行同台比较（复制一个运行并修改其 lr）。

## src/app/sweep_ui/bayes.rs
sweep-bayes-best-of = { $runs } 个运行中最好的：lr { $lr }
sweep-bayes-explained = 得分：最终损失的 log10（不差于起点处）。曲线与色带：模型的均值 ± 2 倍标准差；圆点：各个运行，按尝试顺序编号；星号：最好的一个。
sweep-bayes-score-axis = log10 最终损失
sweep-bayes-runs-legend = 运行
sweep-bayes-best-legend = 最佳

## src/app/sweep_ui/range_test.rs
sweep-range-steepest-at = 最陡下降处 lr ≈ { $lr }
sweep-range-loss-axis = 损失（对数坐标）
sweep-range-raw-legend = 每步后的损失
sweep-range-smoothed-legend = 平滑（无滞后）
sweep-range-steepest-legend = 最陡下降

## src/app/sweep_ui/grid.rs
sweep-final-loss-log-scale = 最终损失（对数坐标）
sweep-diverged-legend = 发散
sweep-closed-form-optimum = 闭式最优解
sweep-map-explained = lr × { $param } 上的最终损失（颜色，对数）；深红：发散，灰色：无效设置；蓝色虚线：重球法上限。点击格子即可采用其参数值。
sweep-on-the-map = ；图中实线：收敛率 { $rates }，虚线：收敛率 1，即稳定性上限
list-separator = 、
run-label-warmup = 预热 { $warmup }
run-label-batch = 批量 { $size }
run-label-from = 从 ({ $x }, { $y }) 出发
sweep-closed-form = 局部二次模型上的闭式解（λ = { $lo } … { $hi }，κ = { $kappa }）：最佳 lr { $lr }{ $momentum }，误差每步按 ×{ $rate } 缩小{ $on_map }。
sweep-with-momentum = 配合动量 { $momentum }
sweep-apply-optimum = 应用最优值
sweep-critical-damping-min = 临界阻尼，λmin
sweep-critical-damping-max = 临界阻尼，λmax

## src/app/views/loss.rs
view-loss-title = 每步损失
view-loss-help = 每个运行的 f(θ_k)
view-loss-nonpositive-left-out = （≤ 0 的值未画出）
view-loss-solid-dashed = 实线：训练集，虚线：测试集
view-loss-held-out-legend = 运行 { $run } 测试集

## src/app/views/step_size.rs
view-step-size-title = 步长 |Δθ|
view-step-size-help = 每次更新的长度：学习率、动量和自适应缩放共同作用的结果

## src/app/views/sharpness.rs
view-sharpness-title = 锐度
view-sharpness-help = 每一步黑塞矩阵的 λmax；虚线：所选运行在该步的 lr 下仍能稳定的最大锐度（GD 为 2/lr，带动量时为 2(1+β)/lr）。Adam、RMSprop 和 AdaGrad 显示预条件锐度 λmax(P^-1·H)，分别对照 38/lr（Adam，β1 = 0.9）、2(1+μ)/lr 和 2/lr
view-sharpness-preconditioned = 运行 { $run }：预条件 λmax(P^-1·H)
view-sharpness-not-preconditioned = 运行 { $run }：λmax(H)；其优化器的阈值针对的是预条件锐度
view-sharpness-threshold-legend = 运行 { $run } 的稳定性阈值

## src/app/views/eigen.rs
view-eigen-title = 特征分量
view-eigen-help = 所选运行的误差 θ_k − θ* 在极小点处黑塞矩阵各特征向量上的分量：哪个方向收敛慢，哪个方向震荡；点线：闭式收敛率的预测（SGD 族）
view-eigen-abs-error-legend = |误差|，{ $direction }
view-eigen-error-legend = 误差，{ $direction }
view-eigen-theory-legend = 理论值，{ $direction }

## src/app/views/adaptive.rs
view-adaptive-title = 自适应步长
view-adaptive-help = 所选运行每个坐标的步长 |Δθ_i|，以 lr 为单位（无论梯度多大，Adam 的第一步都是 1）；RAdam 在该运行的 β2 下的修正项 r_t；以及在 2/(1 − β2) 步内线性预热的经验法则（Ma & Yarats 2021）
view-adaptive-warmup-note = 运行 { $run }，2/(1 − β2) = { $steps }
view-adaptive-adam-only = 运行 { $run }；r_t：仅限 Adam 族
view-adaptive-rectification-legend = RAdam 的 r_t
view-adaptive-ramp-legend = 2/(1 − β2) 预热

## The language menu: the same words in every language, so either reader finds it
language-menu = EN / 中文
language-menu-help = Language of the interface · 界面语言

## The Presets menu's topics
topic-stability = 学习率与稳定性
topic-momentum = 动量
topic-adaptive = 自适应学习率
topic-landscapes = 鞍点、极小值与自定义曲面
topic-schedules = 学习率调整策略与预热
topic-same-name = 同名不同规则
topic-networks = 小型网络
gallery-title = optiscope：课堂场景
gallery-intro = 点击卡片即可在浏览器中离线打开对应场景：拖动学习率、修改调度策略，并保存你的发现。
gallery-open-app = 打开应用
gallery-footer = optiscope 展示学习率、学习率调度和优化器如何让参数点在损失曲面上移动；应用就是本页旁边的单个文件 optiscope.html。

## A run's status (the command line prints the English)
status-running = 运行中，{ $steps } 步内未收敛
status-converged = 在第 { $step } 步收敛
status-undefined-start = f 在起点处无定义
status-diverged = 在第 { $step } 步发散 (lr = { $lr })
status-singular = 在第 { $step } 步黑塞矩阵奇异
status-ascent = 从第 { $step } 步起 lr < 0 (lr = { $lr })：梯度上升

## Colour names that scene notes write as {"{"}white{"}"}, {"{"}yellow{"}"}...
colour-white = 白色
colour-black = 黑色
colour-orange = 橙色
colour-sky-blue = 天蓝色
colour-green = 绿色
colour-yellow = 黄色
colour-olive = 橄榄色
colour-vermillion = 朱红色
colour-pink = 粉色
colour-blue = 蓝色

## Texts of the pictures (window and Export alike)
picture-minimum = 极小值
picture-saddle = 鞍点
picture-maximum = 极大值
picture-beyond-view = { $name }（超出视野）
picture-start = 起点
picture-more = 另有 { $n } 项
picture-step-counter = 第 { $step } / { $steps } 步

## What an export wrote
export-kind-png = 图片 (PNG)
export-kind-gif = 动画 (GIF)
export-kind-csv = 轨迹 (CSV)
export-saved-picture = 已将{ $kind }保存到 { $place }（{ $kib } kB）。
export-nothing-written = 未写入任何文件。
export-no-runs = 场景中没有运行，未写入任何文件。
export-saved-file = 已保存 { $place }。
export-saved-csvs = 已保存 { $n } 个 CSV 文件（{ $first } … { $last }）。
export-saved-csvs-in = 已在 { $dir } 中保存 { $n } 个 CSV 文件（{ $first } … { $last }）。

## Texts of the numerical core (explain panel, update glyphs)
core-hessian-eigenvalues-at = θ 处黑塞矩阵的特征值
core-nesterov-s-mix-this-gradient-and-the-momentum-one-step-ahead = Nesterov 混合：本次梯度与超前一步的动量
core-a-average-of-g = a（g 的平均）
core-box-lr-per-coordinate = 框：逐坐标的 lr
core-box-step-per-coordinate = 框：逐坐标的步长
core-c-the-momentum-and-this-gradient-mixed = c：动量与本次梯度的混合
core-each-coordinate-divided-by-its-own-root-mean-square-the-step-lands-on-a-corner-of-the-box = 每个坐标除以各自的均方根：这一步落在框的一个角上
core-g-with-noise-minibatch = g（含噪声 / 小批量）
core-gradient = 梯度
core-local-quadratic-model = 局部二次模型
core-lr-from-the-schedule = lr（来自学习率调整策略）
core-m-first-moment = m（一阶矩）
core-m-momentum = m（动量）
core-m-1-1-t-the-running-average-of-the-gradients-bias-corrected = m/(1 − β1^t)：偏差修正后的梯度滑动平均
core-m-hat-the-bias-corrected-running-average-of-the-gradients = m_hat：偏差修正后的梯度滑动平均
core-model = 模型
core-model-s-centre = 模型的中心
core-momentum = 动量
core-s-average-of-g = s（g² 的平均）
core-s-sum-of-g = s（g² 之和）
core-scaling = 缩放
core-sign = 符号
core-t = t
core-the-buffer-times-the-old-one-plus-the-scaled-gradient = 缓冲：μ 乘以旧缓冲，加上缩放后的梯度
core-the-gradient-at-times-lr-where-plain-gradient-descent-would-go = θ 处的梯度乘以 −lr：普通梯度下降会走到的位置
core-the-local-quadratic-model-newton-jumps-to-its-centre-a-minimum-or-a-saddle = 局部二次模型：牛顿法跳到其中心，即极小点或鞍点
core-the-sign-of-each-coordinate-every-coordinate-moves-by-exactly-lr = 每个坐标的符号：每个坐标恰好移动 lr
core-the-step-the-optimizer-takes-k-to-k-1 = 优化器走出的一步，从 θ_k 到 θ_k+1
core-the-velocity-in-units-of-lr-times-the-old-one-minus-lr-g = 速度（以 lr 为单位）：μ 乘以旧速度，减去 lr·g
core-the-velocity-times-the-old-buffer-plus-the-new-gradient = 速度：μ 乘以旧缓冲，加上新梯度
core-u-average-of = u（δ² 的平均）
core-u-momentum-of-the-increments = u（增量的动量）
core-v-average-of-g = v（g² 的平均）
core-v-new-velocity = v（新速度）
core-v-second-moment = v（二阶矩）
core-weight-decay = 权重衰减
core-step-taken = Δθ（实际更新步）
core-the-step-taken = Δθ（实际更新步）
core-momentum-product = Πμ（动量系数之积）
core-f-at = θ 处的 ∂f/∂θ
core-lr-nesterov-mix-of-g-and-m = −lr·(g 与 m 的 Nesterov 混合)
core-lr-momentum = −lr·(动量)
core-lr-b-buffer = −lr·b（缓冲）
core-lr-b-new-velocity = −lr·b（新速度）
core-lr-c-momentum-mixed-with-g = −lr·c（动量与 g 的混合）
core-lr-g-the-gradient-it-saw = −lr·g（优化器看到的梯度）
core-lr-grad-f-gradient-step = −lr·grad f（梯度步）
core-lr-m-1-1-t = −lr·m/(1 − β1^t)
core-lr-m-hat = −lr·m_hat
core-lr-b-velocity-carried = −lr·μ·b（延续的速度）

## Items of the catalog: summaries and parameter docs (item-<family>-<name>[-<param>]); their English lives with the items.
# optiscope: item summaries and parameter docs in Simplified Chinese.
# Ids: item-<family>-<name> and item-<family>-<name>-<param>, from `optiscope list --json`.


## data set
item-data-set-spirals = 两条相互交错的螺旋线，各为一类（较难：需要较深的网络）
item-data-set-spirals-n = 数据点总数（训练与留出部分合计）
item-data-set-spirals-noise = 高斯噪声的标准差
item-data-set-spirals-seed = 生成数据点及划分数据的随机种子
item-data-set-spirals-test = 留作计算测试损失的数据点比例
item-data-set-moons = 两个相互交错的半圆（即 scikit-learn 的 make_moons）
item-data-set-moons-n = 数据点总数（训练与留出部分合计）
item-data-set-moons-noise = 高斯噪声的标准差
item-data-set-moons-seed = 生成数据点及划分数据的随机种子
item-data-set-moons-test = 留作计算测试损失的数据点比例
item-data-set-circles = 半径 1 的圆内套一个半径 0.5 的圆（make_circles）
item-data-set-circles-n = 数据点总数（训练与留出部分合计）
item-data-set-circles-noise = 高斯噪声的标准差
item-data-set-circles-seed = 生成数据点及划分数据的随机种子
item-data-set-circles-test = 留作计算测试损失的数据点比例
item-data-set-xor = [−1, 1]² 上均匀分布的点，x·y > 0 处为类别 1
item-data-set-xor-n = 数据点总数（训练与留出部分合计）
item-data-set-xor-noise = 高斯噪声的标准差
item-data-set-xor-seed = 生成数据点及划分数据的随机种子
item-data-set-xor-test = 留作计算测试损失的数据点比例
item-data-set-gaussians = 分别以 (−1, −1) 和 (1, 1) 为中心的两团高斯分布点（标准差 0.5）
item-data-set-gaussians-n = 数据点总数（训练与留出部分合计）
item-data-set-gaussians-noise = 高斯噪声的标准差
item-data-set-gaussians-seed = 生成数据点及划分数据的随机种子
item-data-set-gaussians-test = 留作计算测试损失的数据点比例
item-data-set-line = 回归：y = 2x + 1 + noise，x 在 [−1, 1] 上均匀分布
item-data-set-line-n = 数据点总数（训练与留出部分合计）
item-data-set-line-noise = 高斯噪声的标准差
item-data-set-line-seed = 生成数据点及划分数据的随机种子
item-data-set-line-test = 留作计算测试损失的数据点比例
item-data-set-sine = 回归：y = sin(πx) + noise，x 在 [−1, 1] 上均匀分布
item-data-set-sine-n = 数据点总数（训练与留出部分合计）
item-data-set-sine-noise = 高斯噪声的标准差
item-data-set-sine-seed = 生成数据点及划分数据的随机种子
item-data-set-sine-test = 留作计算测试损失的数据点比例

## model
item-model-mlp = 由 nn.Linear 层组成的多层感知机，只有一个输出（logit 或回归值）
item-model-mlp-hidden = 各隐藏层的宽度
item-model-mlp-activation = 层与层之间的激活函数

## optimizer
item-optimizer-sgd = 梯度下降法，可选用重球动量或 Nesterov 动量：b ← μ·b + (1−τ)·g; θ ← θ − lr·b
item-optimizer-sgd-momentum = 动量系数 μ
item-optimizer-sgd-dampening = 动量的阻尼系数 τ
item-optimizer-sgd-nesterov = Nesterov 前瞻动量
item-optimizer-sgd-weight_decay = 加到梯度上的 L2 惩罚项
item-optimizer-adagrad = 逐坐标步长 lr/√(Σg²)：梯度少见的方向步长大、常见的方向步长小，且步长不断缩小
item-optimizer-adagrad-lr_decay = 学习率衰减：lr / (1 + (t−1)·lr_decay)
item-optimizer-adagrad-weight_decay = 加到梯度上的 L2 惩罚项
item-optimizer-adagrad-initial_accumulator_value = Σg² 的初始值
item-optimizer-adagrad-eps = 加到 √(Σg²) 上的常数
item-optimizer-rmsprop = 步长为 lr/√v，其中 v 是 g² 的滑动平均：会遗忘的 AdaGrad
item-optimizer-rmsprop-alpha = g² 滑动平均的衰减系数
item-optimizer-rmsprop-eps = 加到分母上以保证数值稳定
item-optimizer-rmsprop-weight_decay = 加到梯度上的 L2 惩罚项
item-optimizer-rmsprop-momentum = 作用于缩放后步长的动量
item-optimizer-rmsprop-centered = 除以方差，而不是原始二阶矩
item-optimizer-adam = 动量 m 加上 RMSProp 的 v，两者都做偏差修正：θ ← θ − lr·m_hat/(√v_hat + eps)
item-optimizer-adam-beta1 = 一阶矩（动量）的衰减系数
item-optimizer-adam-beta2 = 二阶矩的衰减系数
item-optimizer-adam-eps = 加到分母上以保证数值稳定
item-optimizer-adam-weight_decay = 加到梯度上的 L2 惩罚项
item-optimizer-adam-amsgrad = 使用 v 的历史最大值（AMSGrad）
item-optimizer-adamw = 采用解耦权重衰减的 Adam：在 Adam 更新之前先做 θ ← θ·(1 − lr·wd)
item-optimizer-adamw-beta1 = 一阶矩（动量）的衰减系数
item-optimizer-adamw-beta2 = 二阶矩的衰减系数
item-optimizer-adamw-eps = 加到分母上以保证数值稳定
item-optimizer-adamw-weight_decay = 解耦权重衰减的系数
item-optimizer-adamw-amsgrad = 使用 v 的历史最大值（AMSGrad）
item-optimizer-nadam = 带 Nesterov 动量的 Adam（Dozat），动量按 momentum_decay 逐步预热
item-optimizer-nadam-beta1 = 一阶矩（动量）的衰减系数
item-optimizer-nadam-beta2 = 二阶矩的衰减系数
item-optimizer-nadam-eps = 加到分母上以保证数值稳定
item-optimizer-nadam-weight_decay = 加到梯度上的 L2 惩罚项
item-optimizer-nadam-momentum_decay = μ_t = β1(1 − ½·0.96^(tψ)) 中的 ψ
item-optimizer-radam = 修正（rectified）版的 Adam：只有当方差估计足够可靠时才启用自适应步长
item-optimizer-radam-beta1 = 一阶矩（动量）的衰减系数
item-optimizer-radam-beta2 = 二阶矩的衰减系数
item-optimizer-radam-eps = 加到分母上以保证数值稳定
item-optimizer-radam-weight_decay = 加到梯度上的 L2 惩罚项
item-optimizer-adadelta = 步长为 √(E[Δθ²])/√(E[g²])：无需调节学习率，更新量的单位也与参数一致（PyTorch 中 lr 默认为 1）
item-optimizer-adadelta-rho = 两个滑动平均的衰减系数
item-optimizer-adadelta-eps = 加在两个平方根内的常数
item-optimizer-adadelta-weight_decay = 加到梯度上的 L2 惩罚项
item-optimizer-lion = 取插值动量的符号：每个坐标恰好移动 lr（Chen 等，2023）
item-optimizer-lion-beta1 = 计算步长时动量与梯度之间的插值系数
item-optimizer-lion-beta2 = 动量的衰减系数
item-optimizer-lion-weight_decay = 解耦权重衰减 θ ← θ(1 − lr·wd)
item-optimizer-newton = θ ← θ − lr·(H + damping·I)^-1·g，使用精确的黑塞矩阵：对二次函数一步即到达驻点，无论是极小值还是鞍点
item-optimizer-newton-damping = 加到黑塞矩阵对角线上的 Levenberg 阻尼
item-optimizer-flow = 精确积分的梯度流 dθ/dt = −grad f：第 k 行是时刻 lr_0 + … + lr_{"{"}k−1{"}"} 处的 θ，即步长无限小时梯度下降所到达的位置
item-optimizer-modified_flow = f + (lr/4)·|grad f|² 的梯度流：步长为 lr 的梯度下降在二阶精度上沿它运动（后向误差分析）
item-optimizer-keras-sgd = keras.optimizers.SGD：速度中已乘入 lr，v ← μ·v − lr·g; θ ← θ + v（torch 的 sgd 则是用当前 lr 去缩放 b：一旦学习率变化，两者就不再相同）
item-optimizer-keras-sgd-momentum = 动量系数 μ
item-optimizer-keras-sgd-nesterov = Nesterov 动量：θ ← θ − lr·g + μ·v
item-optimizer-keras-sgd-weight_decay = 更新前的解耦权重衰减 θ ← θ·(1 − wd·lr)（0 对应 None）
item-optimizer-keras-rmsprop = keras.optimizers.RMSprop：v ← ρ·v + (1 − ρ)·g²; θ ← θ − lr·g/√(v + ε)，其中 ρ = 0.9（torch：alpha = 0.99，eps 在根号外）
item-optimizer-keras-rmsprop-rho = g² 滑动平均的衰减系数 ρ
item-optimizer-keras-rmsprop-momentum = 作用于增量的动量
item-optimizer-keras-rmsprop-epsilon = ε，加在根号外（Keras 默认 1e-7，torch 的 eps 默认 1e-8）
item-optimizer-keras-rmsprop-centered = 除以方差，即 v − (g 的平均值)²
item-optimizer-keras-rmsprop-weight_decay = 更新前的解耦权重衰减 θ ← θ·(1 − wd·lr)（0 对应 None）
item-optimizer-keras-adam = keras.optimizers.Adam：α = lr·√(1 − β2^t)/(1 − β1^t); θ ← θ − α·m/(√v + ε)，ε = 1e-7 位于偏差修正之外（torch：lr·m_hat/(√v_hat + eps)）
item-optimizer-keras-adam-beta_1 = 一阶矩的衰减系数
item-optimizer-keras-adam-beta_2 = 二阶矩的衰减系数
item-optimizer-keras-adam-epsilon = ε，加在根号外（Keras 默认 1e-7，torch 的 eps 默认 1e-8）
item-optimizer-keras-adam-amsgrad = 使用 v 的历史最大值（AMSGrad）
item-optimizer-keras-adam-weight_decay = 更新前的解耦权重衰减 θ ← θ·(1 − wd·lr)（0 对应 None）
item-optimizer-keras-adamw = keras.optimizers.AdamW：Keras 的 Adam 加上解耦权重衰减 θ ← θ·(1 − wd·lr)，默认 wd = 0.004（torch 的 AdamW 为 0.01）
item-optimizer-keras-adamw-weight_decay = 更新前的解耦权重衰减 θ ← θ·(1 − wd·lr)
item-optimizer-keras-adamw-beta_1 = 一阶矩的衰减系数
item-optimizer-keras-adamw-beta_2 = 二阶矩的衰减系数
item-optimizer-keras-adamw-epsilon = ε，加在根号外（Keras 默认 1e-7，torch 的 eps 默认 1e-8）
item-optimizer-keras-adamw-amsgrad = 使用 v 的历史最大值（AMSGrad）
item-optimizer-keras-adagrad = keras.optimizers.Adagrad：s ← s + g²，初值为 0.1；θ ← θ − lr·g/√(s + ε)
item-optimizer-keras-adagrad-initial_accumulator_value = 平方和的初始值（torch 从 0 开始）
item-optimizer-keras-adagrad-epsilon = ε，加在根号外（Keras 默认 1e-7，torch 的 eps 默认 1e-8）
item-optimizer-keras-adagrad-weight_decay = 更新前的解耦权重衰减 θ ← θ·(1 − wd·lr)（0 对应 None）
item-optimizer-keras-adadelta = keras.optimizers.Adadelta：步长的单位取自以往各步的平均，ρ = 0.95，ε = 1e-7，再乘以 lr（Keras 默认 lr 为 0.001，torch 为 1）
item-optimizer-keras-adadelta-rho = 两个平均值的衰减系数 ρ
item-optimizer-keras-adadelta-epsilon = ε，加在根号外（Keras 默认 1e-7，torch 的 eps 默认 1e-8）
item-optimizer-keras-adadelta-weight_decay = 更新前的解耦权重衰减 θ ← θ·(1 − wd·lr)（0 对应 None）
item-optimizer-keras-nadam = keras.optimizers.Nadam：带 Nesterov 动量的 Adam，动量按 Dozat 的方案变化：μ_t = β1·(1 − 0.5·0.96^t)
item-optimizer-keras-nadam-beta_1 = 一阶矩的衰减系数
item-optimizer-keras-nadam-beta_2 = 二阶矩的衰减系数
item-optimizer-keras-nadam-epsilon = ε，加在根号外（Keras 默认 1e-7，torch 的 eps 默认 1e-8）
item-optimizer-keras-nadam-weight_decay = 更新前的解耦权重衰减 θ ← θ·(1 − wd·lr)（0 对应 None）
item-optimizer-keras-lion = keras.optimizers.Lion：θ ← θ − lr·sign(β1·m + (1 − β1)·g); m ← β2·m + (1 − β2)·g
item-optimizer-keras-lion-beta_1 = 计算步长时的插值系数
item-optimizer-keras-lion-beta_2 = 动量的衰减系数
item-optimizer-keras-lion-weight_decay = 更新前的解耦权重衰减 θ ← θ·(1 − wd·lr)（0 对应 None）

## schedule
item-schedule-constant = η_t = η0
item-schedule-step = η_t = η0·γ^⌊t/step_size⌋（StepLR）
item-schedule-step-step_size = 两次衰减之间的步数
item-schedule-step-gamma = 每次衰减所乘的因子
item-schedule-multistep = η_t = η0·γ^(不超过 t 的 milestones 个数)（MultiStepLR）
item-schedule-multistep-milestones = 在这些步进行衰减
item-schedule-multistep-gamma = 每个里程碑处所乘的因子
item-schedule-exponential = η_t = η0·γ^t（ExponentialLR）
item-schedule-exponential-gamma = 每步所乘的因子
item-schedule-exp_decay = η_t = η0·e^(−k·t)
item-schedule-exp_decay-k = 每步的衰减率
item-schedule-inverse_time = η_t = η0/(1 + k·t)
item-schedule-inverse_time-k = 每步的衰减率
item-schedule-polynomial = η_t = η0·(1 − min(t, T)/T)^power（PolynomialLR；power=1 时线性衰减到零）
item-schedule-polynomial-total_iters = 学习率降到 0 所需的步数 T
item-schedule-polynomial-power = 衰减的指数
item-schedule-linear = η_t = η0·(s + (e − s)·min(t, T)/T)（LinearLR）
item-schedule-linear-start_factor = 第 0 步的因子 s
item-schedule-linear-end_factor = 从第 T 步起的因子 e
item-schedule-linear-total_iters = 线性变化阶段的步数 T
item-schedule-cosine = η_t = η_min + (η0 − η_min)(1 + cos(πt/T_max))/2（CosineAnnealingLR；超过 T_max 后学习率会再次上升，与 PyTorch 一致）
item-schedule-cosine-T_max = 半个余弦周期的步数
item-schedule-cosine-eta_min = 最低学习率
item-schedule-cosine_restarts = 从 η0 到 η_min 的余弦退火，每 T_i 步重启一次，T_i = T_0·T_mult^i（CosineAnnealingWarmRestarts，SGDR）
item-schedule-cosine_restarts-T_0 = 第一个周期的长度
item-schedule-cosine_restarts-T_mult = 周期长度的增长倍数
item-schedule-cosine_restarts-eta_min = 最低学习率
item-schedule-cyclic = 在 base_lr 与 max_lr 之间按三角波循环（CyclicLR）；base_lr 取代 η0，默认等于 η0
item-schedule-cyclic-base_lr = 循环的下界（None：取本运行的学习率）
item-schedule-cyclic-max_lr = 循环的上界
item-schedule-cyclic-step_size_up = 从 base_lr 升到 max_lr 的步数
item-schedule-cyclic-step_size_down = 降回所需的步数（None：与上升相同）
item-schedule-cyclic-mode = triangular2 每个周期振幅减半，exp_range 按 gamma^t 缩放振幅
item-schedule-cyclic-gamma = exp_range 模式下每步的振幅因子
item-schedule-one_cycle = 先从 max_lr/div_factor 预热到 max_lr，再退火到很小的最终 lr（OneCycleLR）；max_lr 默认取本运行的学习率
item-schedule-one_cycle-max_lr = 峰值学习率（None：取本运行的学习率）
item-schedule-one_cycle-total_steps = 周期长度；此后保持最终 lr
item-schedule-one_cycle-pct_start = 周期中上升阶段所占的比例
item-schedule-one_cycle-anneal_strategy = 各阶段曲线的形状
item-schedule-one_cycle-div_factor = 初始 lr = max_lr/div_factor
item-schedule-one_cycle-final_div_factor = 最终 lr = 初始 lr/final_div_factor
item-schedule-one_cycle-three_phase = 退火前先降回初始 lr
item-schedule-plateau = 损失连续 patience 步没有改善时，把 lr 乘以 factor（ReduceLROnPlateau，每次更新后传入损失）
item-schedule-plateau-mode = min：损失越低越好
item-schedule-plateau-factor = 每次降低所乘的因子
item-schedule-plateau-patience = 降低前可容忍的无改善步数
item-schedule-plateau-threshold = 算作改善的最小变化量
item-schedule-plateau-threshold_mode = threshold 相对于最佳损失，或为绝对值
item-schedule-plateau-cooldown = 每次降低后的冷却步数
item-schedule-plateau-min_lr = lr 的下界
item-schedule-plateau-eps = 小于该值的降幅将被忽略
item-schedule-grad_halving = 在第 k 次更新前，只要 |∇f(θ_k)| > threshold 就令 η ← factor·η：即讲义中的动态规则，由梯度驱动，正如 plateau 由损失驱动
item-schedule-grad_halving-threshold = 梯度范数超过此值时降低学习率
item-schedule-grad_halving-factor = 每次降低所乘的因子
item-schedule-linear_decay = η_t = η0 − k·t（讲义中的写法）：在第 η0/k 步降为 0，此后为负（变成梯度上升）
item-schedule-linear_decay-k = 学习率每步的减少量
item-schedule-keras-exponential_decay = keras.optimizers.schedules.ExponentialDecay：η_t = η0·rate^(t/decay_steps)，开启 staircase 时指数向下取整
item-schedule-keras-exponential_decay-decay_steps = 每乘一次 decay_rate 所需的步数
item-schedule-keras-exponential_decay-decay_rate = 每 decay_steps 步所乘的因子
item-schedule-keras-exponential_decay-staircase = 以整数个 decay_steps 阶梯式衰减
item-schedule-keras-inverse_time_decay = keras.optimizers.schedules.InverseTimeDecay：η_t = η0/(1 + rate·t/decay_steps)，开启 staircase 时 t/decay_steps 向下取整
item-schedule-keras-inverse_time_decay-decay_steps = 每单位衰减对应的步数
item-schedule-keras-inverse_time_decay-decay_rate = 每 decay_steps 步的衰减率
item-schedule-keras-inverse_time_decay-staircase = 以整数个 decay_steps 阶梯式衰减
item-schedule-keras-polynomial_decay = keras.optimizers.schedules.PolynomialDecay：按 (1 − t/decay_steps)^power 从 η0 降到 end_learning_rate，之后保持不变（开启 cycle 时则重新开始）
item-schedule-keras-polynomial_decay-decay_steps = 降到 end_learning_rate 所需的步数
item-schedule-keras-polynomial_decay-end_learning_rate = 最终学习率
item-schedule-keras-polynomial_decay-power = 衰减的指数
item-schedule-keras-polynomial_decay-cycle = 在 decay_steps 的整数倍上重新开始
item-schedule-keras-piecewise_constant = keras.optimizers.schedules.PiecewiseConstantDecay：到 boundaries[0]（含）为止取 values[0]，之后取 values[1]，依此类推；values 就是学习率本身（不使用本运行的 lr）
item-schedule-keras-piecewise_constant-boundaries = 在这些步之后切换到下一个值
item-schedule-keras-piecewise_constant-values = 各段学习率，个数比 boundaries 多一个
item-schedule-keras-cosine_decay = keras.optimizers.schedules.CosineDecay：可选先从 η0 线性预热到 warmup_target，再在 decay_steps 步内沿半个余弦周期降到它的 alpha 倍，之后保持不变
item-schedule-keras-cosine_decay-decay_steps = 余弦衰减的步数
item-schedule-keras-cosine_decay-alpha = 最终学习率占余弦起点学习率的比例
item-schedule-keras-cosine_decay-warmup_target = 预热结束时达到的学习率（None：不预热）
item-schedule-keras-cosine_decay-warmup_steps = 线性预热的步数
item-schedule-keras-cosine_decay_restarts = keras.optimizers.schedules.CosineDecayRestarts（SGDR）：余弦周期反复进行，第 i 个周期的长度变为 t_mul^i 倍，峰值变为 m_mul^i 倍
item-schedule-keras-cosine_decay_restarts-first_decay_steps = 第一个周期的长度
item-schedule-keras-cosine_decay_restarts-t_mul = 周期长度的增长倍数
item-schedule-keras-cosine_decay_restarts-m_mul = 每个周期峰值所乘的因子
item-schedule-keras-cosine_decay_restarts-alpha = 最低学习率占 η0 的比例
item-schedule-keras-learning_rate_scheduler = keras.callbacks.LearningRateScheduler：每个 epoch（steps_per_epoch 次更新）开始时，学习率变为 rule(epoch, lr)，即关于 epoch、lr（当前学习率）和 lr0 的公式
item-schedule-keras-learning_rate_scheduler-steps_per_epoch = 每个 epoch 的更新次数
item-schedule-keras-learning_rate_scheduler-rule = 新的学习率，如 lr * exp(-0.1) 或 lr0 * 0.1^floor(epoch/10)

## surface
item-surface-quadratic = f = ½(a·u² + b·v²)，u = x·cosθ + y·sinθ，v = −x·sinθ + y·cosθ：病态的碗形曲面；lr < 2/max(a,b) 时梯度下降法稳定
item-surface-quadratic-a = 沿 u 方向的曲率
item-surface-quadratic-b = 沿 v 方向的曲率
item-surface-quadratic-angle = 坐标轴的旋转角 θ（单位：度）
item-surface-rosenbrock = f = (a−x)² + b(y−x²)²：弯曲且谷底平坦的山谷；极小值点在 (a, a²)
item-surface-rosenbrock-a = 极小值点的 x 坐标
item-surface-rosenbrock-b = 谷壁的陡峭程度
item-surface-saddle = f = ½(a·x² − b·y²) + (c/4)·y⁴：原点处为鞍点；c > 0 时在 (0, ±√(b/c)) 处有两个极小值
item-surface-saddle-a = 沿 x 方向的曲率
item-surface-saddle-b = 沿 y 方向的负曲率
item-surface-saddle-c = 使曲面有下界的四次项
item-surface-himmelblau = f = (x²+y−11)² + (x+y²−7)²：有四个函数值均为 0 的极小值，到达哪一个取决于起点
item-surface-beale = f = (1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²：平坦的平台区与陡峭的山脊；极小值点在 (3, 0.5)
item-surface-rastrigin = f = 2A + Σ (xᵢ² − A·cos 2πxᵢ)：布满局部极小值的碗形曲面；全局最小值在原点
item-surface-rastrigin-A = 波纹的高度
item-surface-ackley = f = −20·exp(−0.2·√(½(x²+y²))) − exp(½(cos 2πx + cos 2πy)) + e + 20：近乎平坦、布满波纹的平原，原点处有一个深漏斗
item-surface-linreg = 在数据 x ~ U[0,2]，y = 2x + 1 + noise·N(0,1) 上拟合 y ≈ w·x + b 的均方误差；曲面坐标 (x, y) 即参数 (w, b)；batch_size 为 0 时用全批量
item-surface-linreg-n = 数据点个数
item-surface-linreg-noise = 标签噪声的标准差
item-surface-linreg-batch_size = 每步的小批量大小；0 为全批量，1 即 SGD
item-surface-linreg-seed = 数据集的随机种子
item-surface-custom = 输入任意 f(x, y)，如 custom(f=x^2 + 10*y^2)；梯度和黑塞矩阵都是精确的（用超对偶数沿公式传播求得）：支持 + - * / ^、sin、cos、tan、exp、log、sqrt、abs、tanh 等，以及常数 PI 和 E
item-surface-custom-f = 关于 x 和 y 的公式
item-surface-custom-x_min = 默认视图的左边界
item-surface-custom-x_max = 默认视图的右边界
item-surface-custom-y_min = 默认视图的下边界
item-surface-custom-y_max = 默认视图的上边界

## warmup
item-warmup-none = 不预热
item-warmup-linear = t < W 时 η_t = η0·(s + (1 − s)·t/W)，之后取学习率调整策略在 t − W 处的值
item-warmup-linear-steps = 预热步数 W
item-warmup-linear-start_factor = 第 0 步的因子 s
item-warmup-constant = t < W 时 η_t = η0·factor，之后取学习率调整策略在 t − W 处的值
item-warmup-constant-steps = 预热步数 W
item-warmup-constant-factor = 预热期间的因子

## Errors the window shows (Display keeps this English for the command line)
error-field = { $field }：{ $error }
error-did-you-mean = （是不是 '{ $name }'？）
error-family-optimizer = 优化器
error-family-surface = 曲面
error-family-schedule = 学习率调整策略
error-family-warmup = 预热
error-family-data-set = 数据集
error-family-model = 模型
error-spec-syntax = 无法解析 '{ $text }'：{ $message }
error-spec-unknown = 未知的{ $family } '{ $name }'{ $hint }；可用的{ $family }：{ $valid }
error-spec-unknown-param = { $family } '{ $item }' 没有参数 '{ $key }'{ $hint }；可用的参数：{ $valid }
error-spec-no-params = 无（它不接受参数）
error-spec-duplicate = { $family } '{ $item }' 的参数 '{ $key }' 给出了两次
error-spec-missing = { $family } '{ $item }' 需要参数 '{ $key }'（{ $doc }），例如 { $example }
error-spec-bad-value = { $family } '{ $item }' 的参数 '{ $key }'：'{ $value }' 无效，应为：{ $expected }
error-spec-invalid = { $family } '{ $item }'：{ $message }
error-expected-finite = 有限数
error-expected-non-negative = >= 0 的数
error-expected-positive = > 0 的数
error-expected-unit-open = [0, 1) 内的数
error-expected-unit = [0, 1] 内的数
error-expected-unit-positive = (0, 1] 内的数
error-expected-whole = >= { $min } 的整数
error-expected-bool = true 或 false
error-expected-choice = { $choices } 之一
error-expected-int-list = 由 >= 0 的整数组成的列表，例如 [30,80]
error-expected-num-list = 数字列表，例如 [0.1,0.01]
error-expected-optional = None 或 { $number }
error-expected-text = 文本
error-invalid-registered = 已有同名的项注册
error-invalid-nesterov = nesterov=true 需要 momentum > 0 且 dampening = 0
error-invalid-needs-surface = 需要曲面本身（它的黑塞矩阵或流）：它只能在二维曲面上运行，不能用于网络的参数
error-invalid-too-many-points = n = { $n } 个点太多；最多 { $max } 个点才能保持实时训练
error-invalid-empty-layer = 每个隐藏层至少需要一个单元
error-invalid-network-too-large = 网络要小：最多 { $layers } 个隐藏层，每层最多 { $width } 个单元
error-invalid-piecewise = 至少需要一个边界，且值要比边界多一个（现有 { $boundaries } 个边界和 { $values } 个值）
error-invalid-one-cycle = pct_start = { $pct } 与 total_steps = { $total } 会留下一个没有步的阶段；每个阶段至少需要一步（例如 pct_start 取 { $low } 到 { $high } 之间的值）
error-invalid-too-many-rows = n = { $n } 超过了 1000000 个数据点
error-invalid-batch-too-large = batch_size = { $batch_size } 大于数据集（n = { $n }）
error-invalid-view = 视图需要 x_min < x_max 且 y_min < y_max
error-syntax-no-name = 缺少名称
error-syntax-bad-name = 名称 '{ $name }' 中有意外的 '{ $bad }'（名称只能由字母、数字、'_' 和 '.' 组成）
error-syntax-no-closing-paren = 末尾缺少 ')'
error-syntax-empty-param = 参数为空（是否连写了两个逗号？）
error-syntax-not-key-value = 应为 key=value，实际是 '{ $found }'
error-syntax-bad-key = '{ $key }' 不是参数名
error-syntax-twice = 参数 '{ $key }' 给出了两次
error-syntax-unmatched = 不成对的 '{ $bracket }'
error-syntax-unmatched-quote = 不成对的 '"'
error-syntax-unclosed = 不成对的 '[' 或 '('
error-syntax-no-value = '=' 之后缺少值
error-syntax-unbalanced-quotes = '{ $value }' 中的引号不成对
error-syntax-unclosed-list = 列表 '{ $list }' 缺少结尾的 ']'
error-syntax-not-a-number = 列表 '{ $list }' 中的 '{ $item }' 不是数字
error-formula-hint-surface = 请用 x 和 y 写出 f，例如 x^2 + 10*y^2
error-formula-hint-epoch-rule = 请用 epoch、lr 和 lr0 写出新的学习率，例如 lr0 * 0.1^floor(epoch/10)
error-formula-empty = 公式为空；{ $hint }
error-formula-too-long = 公式长 { $chars } 个字符；最多接受 { $max } 个
error-formula-too-deep = 公式中的括号嵌套超过 { $max } 层（在第 { $at } 个字符处）
error-formula-closes-nothing = '{ $formula }'：第 { $at } 个字符处的 ')' 没有可闭合的 '('
error-formula-left-open = '{ $formula }'：有 { $depth } 个 '(' 没有闭合
error-formula-unknown-function = '{ $formula }'：未知函数 '{ $name }'{ $hint }；可用的函数有 { $valid }
error-formula-unknown-variable = '{ $formula }'：未知变量 '{ $name }'{ $hint }；可用的变量有 { $valid }
error-formula-x-and-y = x 和 y
error-formula-parse = '{ $formula }'：{ $message }
error-formula-cannot-evaluate = 无法计算 '{ $formula }'：{ $message }
error-settings-value = { $what } = { $value } 无效，应为：{ $expected }
error-settings-non-negative = 有限且 >= 0 的数
error-settings-point = 两个有限数 (x, y)
error-settings-max-steps = 不超过 100000000
error-settings-no-batch-size = 不设批大小：它只适用于 linreg 曲面
error-settings-no-noise = 0：网络的梯度噪声来自它的小批量（batch_size）
error-settings-no-start = 不设起点：网络从其 seed 抽取的初始化开始
error-settings-batch-rows = 1 到训练行数之间（不设则为全批量）
error-settings-start-point = 起点 (x, y)
error-plane-no-weights = 该运行没有可作为切片中心的权重
error-plane-flat = 运行 { $run } 的路径没有张成两个方向（它移动了吗？）
error-preset-missing-surface = 缺少字段 `surface`（例如 `surface: "rosenbrock"`，或一个 `network`）
error-preset-missing-start = 缺少字段 `start`（例如 `start: (-1.5, 2.0)`）
error-preset-run-count = 一个场景有 1 到 { $max } 个运行，这个场景有 { $runs } 个
error-preset-network-run = { $run } 不是任何运行的编号；场景的运行编号为 0 到 { $last }
error-preset-read = 无法读取 '{ $path }'：{ $message }
error-preset-parse = { $path }:{ $line }:{ $column }：{ $message }
error-preset-write = 无法保存 '{ $path }'：{ $message }
error-preset-directory = 这是一个文件夹，不是场景文件
error-preset-not-utf8 = 不是 UTF-8 文本（{ $reason }）；这是场景文件吗？
error-preset-missing-field = 缺少字段 `{ $field }`{ $why }
error-preset-why-version = （请先写 `version: 1`）
error-preset-why-surface = （例如 `surface: "rosenbrock"`）
error-preset-why-start = （例如 `start: (-1.5, 2.0)`）
error-preset-why-runs = （运行的列表，例如 `runs: [(optimizer: "sgd", lr: 0.1)]`）
error-preset-why-optimizer = （例如 `optimizer: "adam(beta1=0.8)"`）
error-preset-why-lr = （基础学习率，例如 `lr: 0.01`）
error-preset-version = 不支持版本 { $found }：此 optiscope 读取版本 { $version }
error-preset-speed = speed = { $speed } 无效，应为：每秒 1 到 10000 步
error-preset-too-many-steps = steps = { $steps } 太多；场景中的运行最多 { $max } 步
error-preset-view = view = { $view } 无效，应为：有限的 x_min < x_max 且 y_min < y_max
error-link-foreign = 这不是 optiscope 的场景链接：'#' 之后的片段中没有 'scene=' 部分
error-link-no-version = 场景链接不完整：'scene=' 之后必须是版本号和数据，如 'scene=1.…'
error-link-version = 此场景链接由另一版本的 optiscope 生成：链接格式为 { $found }，本程序读取格式 { $version }
error-link-damaged = 场景链接已损坏：{ $damage }（是否在复制时被截断了？）
error-link-preset = 链接中的场景无效：{ $error }
error-link-encode = 无法将场景写成链接：{ $message }
error-page-missing = 单文件应用 { $path } 不存在：请用 `web/build.sh` 构建（它会写出 { $built }）
error-page-read = 无法读取单文件应用 { $path }：{ $error }
error-page-no-slot = { $name } 不是 optiscope 的单文件应用：其中没有场景位置；请用 `web/build.sh` 重新构建
error-link-bad-character = 数据的第 { $at } 个字符 '{ $byte }' 不能出现在链接中
error-link-too-large = 解压后超过 { $mb } MB
error-link-no-unpack = 其数据无法解压
error-link-not-text = 其数据不是文本
error-link-origin = 链接
error-write-directory = 这是一个文件夹
error-write-no-file-name = 路径中没有文件名
error-write-refused = 浏览器拒绝了下载：{ $reason }
error-script-no-run = 场景中没有运行 { $index }（共有 { $runs } 个运行）
error-script-framework = 运行 { $run } 使用 { $optimizer }，它遵循 { $framework } 的更新规则；其脚本用 { $framework } 编写（复制为 { $framework } 脚本，或 `optiscope { $command }`）
error-platform-no-dialog = 此桌面无法打开文件对话框；请直接输入路径。
error-platform-picker = 无法打开浏览器的文件选择器：{ $reason }
error-platform-open-folder = 无法打开 '{ $dir }'：{ $reason }
error-platform-no-folders = 浏览器自行管理下载的文件
error-render-network = 这是网络场景：render 绘制曲面及其上的路径；网络的数据和损失曲面请在窗口中查看
error-render-size = { $width }×{ $height } 像素的图片：每边必须在 { $min } 到 { $max } 之间
error-render-draw = 绘制失败：{ $reason }
error-render-encode = 编码失败：{ $reason }
error-export-write = 无法写入 '{ $path }'：{ $error }
error-export-run = 运行 { $run }：{ $error }
error-sweep-range-test = 范围测试需要 0 < start_lr < end_lr、至少 2 步且 0 <= beta < 1，实际为 { $got }
error-sweep-worker-failed = 扫描的工作线程在完成 { $count } 个格子中的 { $computed } 个后意外停止，请报告此问题
error-search-lr-min = lr_min 必须是有限的正数，实际为 { $lr_min }
error-search-lr-max = lr_max 必须有限且大于 lr_min = { $lr_min }，实际为 { $lr_max }
error-search-no-initial = initial 至少为 1，实际为 0
