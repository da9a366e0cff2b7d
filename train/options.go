package train

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kwargs"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Option is a keyword argument of an optimizer constructor or method
// (Python's beta1=, var_list=, global_step=, name=, ...). Giving one that a
// function does not take is an error, never silently ignored.
type Option struct {
	key   string
	apply func(*options)
}

type options struct {
	given        map[string]bool
	name         string
	beta1        any
	beta2        any
	epsilon      any
	decay        any
	momentum     any
	rho          any
	l1, l2       any
	l2Shrinkage  float64
	lrPower      float64
	accumName    string
	linearName   string
	staircase    bool
	endLR        float64
	power        float64
	cycle        bool
	alpha        float64
	tMul, mMul   float64
	numPeriods   float64
	beta         float64
	centered     bool
	nesterov     bool
	initialAccum float64
	varList      []*tf.Variable
	globalStep   *tf.Variable // GlobalStep given a variable
	step         any          // GlobalStep's argument, whatever it is
	varMap       map[string]*tf.Variable
	maxToKeep    int
	keepHours    float64
	sharded      bool
	metaGraph    bool
	latestName   string
	writeState   bool
	saveRelative bool
	asText       bool
	saver        *Saver
}

func parse(fn string, opts []Option, allowed ...string) (*options, error) {
	o := &options{given: map[string]bool{}}
	err := kwargs.Parse(fn, false, allowed, o.given, len(opts), func(i int) string { return opts[i].key }, func(i int) { opts[i].apply(o) })
	if err != nil {
		return nil, err
	}
	return o, nil
}

// Name names an optimizer (name=, default its kind: "Adam", "Momentum",
// ...), which prefixes its update ops and slot variables, or names the
// operation Minimize and ApplyGradients return.
func Name(name string) Option { return Option{"name", func(o *options) { o.name = name }} }

// Beta1 sets Adam's decay rate of the first moment (beta1=, default 0.9):
// a number or a scalar tensor.
func Beta1(b any) Option { return Option{"beta1", func(o *options) { o.beta1 = b }} }

// Beta2 sets Adam's decay rate of the second moment (beta2=, default
// 0.999): a number or a scalar tensor.
func Beta2(b any) Option { return Option{"beta2", func(o *options) { o.beta2 = b }} }

// Epsilon sets the constant added for numerical stability (epsilon=;
// default 1e-8 for Adam and Adadelta, 1e-10 for RMSProp): a number or a
// scalar tensor.
func Epsilon(e any) Option { return Option{"epsilon", func(o *options) { o.epsilon = e }} }

// Decay sets RMSProp's discounting factor of the mean square (decay=,
// default 0.9): a number or a scalar tensor.
func Decay(d any) Option { return Option{"decay", func(o *options) { o.decay = d }} }

// WithMomentum sets RMSProp's momentum (momentum=, default 0): a number or
// a scalar tensor.
func WithMomentum(m any) Option { return Option{"momentum", func(o *options) { o.momentum = m }} }

// Rho sets Adadelta's decay rate (rho=, default 0.95): a number or a
// scalar tensor.
func Rho(r any) Option { return Option{"rho", func(o *options) { o.rho = r }} }

// L1RegularizationStrength sets the L1 regularization of Ftrl, the
// proximal optimizers and AdagradDA (l1_regularization_strength=, default
// 0; Ftrl takes a number, the others a number or a scalar tensor).
func L1RegularizationStrength(l1 any) Option {
	return Option{"l1_regularization_strength", func(o *options) { o.l1 = l1 }}
}

// L2RegularizationStrength sets the L2 regularization of Ftrl, the
// proximal optimizers and AdagradDA (l2_regularization_strength=, default
// 0; Ftrl takes a number, the others a number or a scalar tensor).
func L2RegularizationStrength(l2 any) Option {
	return Option{"l2_regularization_strength", func(o *options) { o.l2 = l2 }}
}

// L2ShrinkageRegularizationStrength sets Ftrl's L2 shrinkage, a magnitude
// penalty added to the gradient as 2*l2_shrinkage*var
// (l2_shrinkage_regularization_strength=, default 0; above 0 Ftrl uses
// TF's ApplyFtrlV2).
func L2ShrinkageRegularizationStrength(s float64) Option {
	return Option{"l2_shrinkage_regularization_strength", func(o *options) { o.l2Shrinkage = s }}
}

// LearningRatePower sets how Ftrl's learning rate decreases
// (learning_rate_power=, default -0.5; 0 for a fixed rate; at most 0).
func LearningRatePower(p float64) Option {
	return Option{"learning_rate_power", func(o *options) { o.lrPower = p }}
}

// InitialGradientSquaredAccumulatorValue sets AdagradDA's starting squared
// gradient accumulator, which must be positive
// (initial_gradient_squared_accumulator_value=, default 0.1).
func InitialGradientSquaredAccumulatorValue(v float64) Option {
	return Option{"initial_gradient_squared_accumulator_value", func(o *options) { o.initialAccum = v }}
}

// AccumName sets the suffix of Ftrl's "accum" slot variables (accum_name=,
// default the optimizer's name).
func AccumName(n string) Option { return Option{"accum_name", func(o *options) { o.accumName = n }} }

// LinearName sets the suffix of Ftrl's "linear" slot variables
// (linear_name=, default the optimizer's name, uniquified: "Ftrl_1").
func LinearName(n string) Option { return Option{"linear_name", func(o *options) { o.linearName = n }} }

// Centered makes RMSProp normalize by the centered second moment
// (centered=, default false).
func Centered(c bool) Option { return Option{"centered", func(o *options) { o.centered = c }} }

// UseNesterov makes MomentumOptimizer use Nesterov momentum
// (use_nesterov=, default false).
func UseNesterov(n bool) Option { return Option{"use_nesterov", func(o *options) { o.nesterov = n }} }

// InitialAccumulatorValue sets the starting accumulator of Adagrad and
// ProximalAdagrad, which must be positive, and of Ftrl, which must not be
// negative (initial_accumulator_value=, default 0.1).
func InitialAccumulatorValue(v float64) Option {
	return Option{"initial_accumulator_value", func(o *options) { o.initialAccum = v }}
}

// VarList names the variables to train (var_list=; default every trainable
// variable of the loss's graph).
func VarList(vars ...*tf.Variable) Option {
	return Option{"var_list", func(o *options) {
		o.varList = append([]*tf.Variable(nil), vars...)
		o.varMap = nil
	}}
}

// GlobalStep is Python's global_step=. For Minimize and ApplyGradients it
// is a *tf.Variable (usually GetOrCreateGlobalStep()) that the training op
// increments by one after each update. For Saver.Save it is the step
// number appended to the checkpoint's name ("model.ckpt-1000"): an int, an
// int64, or a *tf.Variable or *tf.Tensor whose value Save reads.
func GlobalStep(step any) Option {
	return Option{"global_step", func(o *options) {
		o.step = step
		o.globalStep, _ = step.(*tf.Variable)
	}}
}

// stepVariable returns the variable GlobalStep gave, for the optimizers.
func (o *options) stepVariable(fn string) (*tf.Variable, error) {
	if o.step != nil && o.globalStep == nil {
		return nil, errors.Errorf("%s: global_step must be a *tf.Variable (train.GetOrCreateGlobalStep()), not a %T", fn, o.step)
	}
	return o.globalStep, nil
}
