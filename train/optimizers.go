package train

import (
	"math"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/tf"
)

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// The step's scalars of each optimizer, from its attributes and non-slot
// variables.
var (
	sgdHyper      hyperFunc = func(a tf.Attrs, _ []float64, _ func(float64) float64) []float64 { return []float64{a.Float("lr", 0)} }
	momentumHyper hyperFunc = func(a tf.Attrs, _ []float64, _ func(float64) float64) []float64 {
		return []float64{a.Float("lr", 0), a.Float("momentum", 0), boolf(a.Bool("use_nesterov"))}
	}
	// lr_t = lr * sqrt(1 - beta2_power) / (1 - beta1_power), in the
	// variable's dtype as ApplyAdam computes it.
	adamHyper hyperFunc = func(a tf.Attrs, ns []float64, r func(float64) float64) []float64 {
		b1p, b2p := ns[0], ns[1]
		lrT := r(r(a.Float("lr", 0)*r(math.Sqrt(r(1-b2p)))) / r(1-b1p))
		return []float64{lrT, a.Float("beta1", 0), a.Float("beta2", 0), a.Float("epsilon", 0)}
	}
	rmspropHyper hyperFunc = func(a tf.Attrs, _ []float64, _ func(float64) float64) []float64 {
		return []float64{a.Float("lr", 0), a.Float("decay", 0), a.Float("momentum", 0), a.Float("epsilon", 0), boolf(a.Bool("centered"))}
	}
)

var (
	sgdDef      = applyDef("ApplyGradientDescent", sgd[float32], sgd[float64], sgdHyper)
	momentumDef = applyDef("ApplyMomentum", momentum[float32], momentum[float64], momentumHyper)
	adamDef     = applyDef("ApplyAdam", adam[float32], adam[float64], adamHyper)
	rmspropDef  = applyDef("ApplyRMSProp", rmsprop[float32], rmsprop[float64], rmspropHyper)
	adagradDef  = applyDef("ApplyAdagrad", adagrad[float32], adagrad[float64], sgdHyper)

	sgdSparseDef      = sparseApplyDef("ScatterSub", false, rowwise(sgd[float32]), rowwise(sgd[float64]), sgdHyper)
	momentumSparseDef = sparseApplyDef("SparseApplyMomentum", true, rowwise(momentum[float32]), rowwise(momentum[float64]), momentumHyper)
	adamSparseDef     = sparseApplyDef("SparseApplyAdam", true, adamSparse[float32], adamSparse[float64], adamHyper)
	rmspropSparseDef  = sparseApplyDef("SparseApplyRMSProp", true, rowwise(rmsprop[float32]), rowwise(rmsprop[float64]), rmspropHyper)
	adagradSparseDef  = sparseApplyDef("SparseApplyAdagrad", true, rowwise(adagrad[float32]), rowwise(adagrad[float64]), sgdHyper)
)

// GradientDescentOptimizer updates var -= learning_rate * grad
// (tf.train.GradientDescentOptimizer).
type GradientDescentOptimizer struct{ *base }

type sgdKind struct{}

func (sgdKind) slots() []slotSpec                                  { return nil }
func (sgdKind) nonSlot() []slotSpec                                { return nil }
func (sgdKind) applyDef() *tf.OpDef                                { return sgdDef }
func (sgdKind) sparseDef() *tf.OpDef                               { return sgdSparseDef }
func (sgdKind) applyAttrs() tf.Attrs                               { return tf.Attrs{} }
func (sgdKind) finish(*base, []*tf.Operation) []*tf.Operation      { return nil }
func (momentumKind) nonSlot() []slotSpec                           { return nil }
func (momentumKind) applyDef() *tf.OpDef                           { return momentumDef }
func (momentumKind) sparseDef() *tf.OpDef                          { return momentumSparseDef }
func (momentumKind) finish(*base, []*tf.Operation) []*tf.Operation { return nil }

// NewGradientDescentOptimizer returns plain gradient descent
// (tf.train.GradientDescentOptimizer(learning_rate)). The learning rate is
// a number or a scalar tensor (a placeholder, a decayed schedule such as
// ExponentialDecay), as in TF. Options: Name (default "GradientDescent").
func NewGradientDescentOptimizer(learningRate any, opts ...Option) *GradientDescentOptimizer {
	return &GradientDescentOptimizer{newBase("train.NewGradientDescentOptimizer", "GradientDescent", learningRate, opts, nil,
		func(string, *options) (kind, error) { return sgdKind{}, nil })}
}

// MomentumOptimizer accumulates accum = momentum*accum + grad and updates
// var -= learning_rate*accum, or with Nesterov momentum
// var -= learning_rate*(grad + momentum*accum) (tf.train.MomentumOptimizer).
// Its slot, "momentum", is named "<var>/Momentum" and starts at zero.
type MomentumOptimizer struct{ *base }

type momentumKind struct {
	momentum any
	nesterov bool
}

func (momentumKind) slots() []slotSpec { return []slotSpec{{name: "momentum", init: 0}} }
func (k momentumKind) applyAttrs() tf.Attrs {
	return tf.Attrs{"momentum": k.momentum, "use_nesterov": k.nesterov}
}

// NewMomentumOptimizer returns gradient descent with momentum
// (tf.train.MomentumOptimizer(learning_rate, momentum)); both are numbers
// or scalar tensors. Options: UseNesterov (default false), Name (default
// "Momentum").
func NewMomentumOptimizer(learningRate, momentum any, opts ...Option) *MomentumOptimizer {
	return &MomentumOptimizer{newBase("train.NewMomentumOptimizer", "Momentum", learningRate, opts, []string{"use_nesterov"},
		func(fn string, o *options) (kind, error) {
			m, err := hyperValue(fn, "momentum", momentum)
			return momentumKind{momentum: m, nesterov: o.nesterov}, err
		})}
}

// AdamOptimizer is Kingma and Ba's Adam as TF 1.x computes it
// (tf.train.AdamOptimizer): at step t,
//
//	lr_t = learning_rate * sqrt(1 - beta2^t) / (1 - beta1^t)
//	m = beta1*m + (1-beta1)*grad
//	v = beta2*v + (1-beta2)*grad^2
//	var -= lr_t * m / (sqrt(v) + epsilon)
//
// epsilon sits outside the bias correction, as in TF (not as in PyTorch or
// Gorgonia's AdamSolver). Slots "m" and "v" are "<var>/Adam" and
// "<var>/Adam_1"; beta1^t and beta2^t live in the non-trainable variables
// "beta1_power" and "beta2_power", which start at beta1 and beta2 and are
// multiplied by them after each step's updates.
type AdamOptimizer struct{ *base }

type adamKind struct {
	beta1, beta2, epsilon any // float64 or *tf.Tensor
}

func (adamKind) slots() []slotSpec { return []slotSpec{{name: "m", init: 0}, {name: "v", init: 0}} }
func (k adamKind) nonSlot() []slotSpec {
	out := []slotSpec{{name: "beta1_power"}, {name: "beta2_power"}}
	for i, b := range []any{k.beta1, k.beta2} {
		if t, ok := b.(*tf.Tensor); ok {
			out[i].initT = t
		} else {
			out[i].init = b.(float64)
		}
	}
	return out
}
func (adamKind) applyDef() *tf.OpDef  { return adamDef }
func (adamKind) sparseDef() *tf.OpDef { return adamSparseDef }
func (k adamKind) applyAttrs() tf.Attrs {
	return tf.Attrs{"beta1": k.beta1, "beta2": k.beta2, "epsilon": k.epsilon}
}
func (k adamKind) finish(b *base, updates []*tf.Operation) []*tf.Operation {
	ns := b.nonSlotList(updates[0].Graph())
	return []*tf.Operation{
		assignMul(ns[0], k.beta1, b.name+"/update_beta1_power", updates),
		assignMul(ns[1], k.beta2, b.name+"/update_beta2_power", updates),
	}
}

// NewAdamOptimizer returns Adam (tf.train.AdamOptimizer(learning_rate)); TF's
// default learning rate is 0.001. The learning rate, beta1, beta2 and
// epsilon are numbers or scalar tensors (a tensor beta is read when the
// beta powers are initialized and at every step).
// Options: Beta1 (default 0.9), Beta2 (0.999), Epsilon (1e-8), Name ("Adam").
func NewAdamOptimizer(learningRate any, opts ...Option) *AdamOptimizer {
	return &AdamOptimizer{newBase("train.NewAdamOptimizer", "Adam", learningRate, opts, []string{"beta1", "beta2", "epsilon"},
		func(fn string, o *options) (kind, error) {
			a, err := hypers(fn, "beta1", o.get("beta1", o.beta1, 0.9), "beta2", o.get("beta2", o.beta2, 0.999),
				"epsilon", o.get("epsilon", o.epsilon, 1e-8))
			if err != nil {
				return nil, err
			}
			k := adamKind{beta1: a["beta1"], beta2: a["beta2"], epsilon: a["epsilon"]}
			for _, n := range []string{"beta1", "beta2"} {
				if b, ok := a[n].(float64); ok && (b < 0 || b >= 1) {
					return nil, errors.Errorf("%s: %s %v must lie in [0, 1)", fn, n, b)
				}
			}
			return k, nil
		})}
}

// RMSPropOptimizer is TF 1.x's RMSProp (tf.train.RMSPropOptimizer):
//
//	ms = decay*ms + (1-decay)*grad^2
//	mom = momentum*mom + learning_rate*grad/sqrt(ms + epsilon)
//	var -= mom
//
// With Centered, mg = decay*mg + (1-decay)*grad and the denominator is
// sqrt(ms - mg^2 + epsilon). Slots: "rms" ("<var>/RMSProp", starting at
// ONES as in TF 1.x), "mg" when centered, and "momentum" (zeros), named
// "<var>/RMSProp_1", "<var>/RMSProp_2" in that order.
type RMSPropOptimizer struct{ *base }

type rmspropKind struct {
	decay, momentum, epsilon any
	centered                 bool
}

func (k rmspropKind) slots() []slotSpec {
	if k.centered {
		return []slotSpec{{name: "rms", init: 1}, {name: "mg", init: 0}, {name: "momentum", init: 0}}
	}
	return []slotSpec{{name: "rms", init: 1}, {name: "momentum", init: 0}}
}
func (rmspropKind) nonSlot() []slotSpec  { return nil }
func (rmspropKind) applyDef() *tf.OpDef  { return rmspropDef }
func (rmspropKind) sparseDef() *tf.OpDef { return rmspropSparseDef }
func (k rmspropKind) applyAttrs() tf.Attrs {
	return tf.Attrs{"decay": k.decay, "momentum": k.momentum, "epsilon": k.epsilon, "centered": k.centered}
}
func (rmspropKind) finish(*base, []*tf.Operation) []*tf.Operation { return nil }

// NewRMSPropOptimizer returns RMSProp (tf.train.RMSPropOptimizer(learning_rate)).
// The learning rate, decay, momentum and epsilon are numbers or scalar
// tensors. Options: Decay (default 0.9), WithMomentum (0), Epsilon (1e-10),
// Centered (false), Name ("RMSProp").
func NewRMSPropOptimizer(learningRate any, opts ...Option) *RMSPropOptimizer {
	return &RMSPropOptimizer{newBase("train.NewRMSPropOptimizer", "RMSProp", learningRate, opts, []string{"decay", "momentum", "epsilon", "centered"},
		func(fn string, o *options) (kind, error) {
			k := rmspropKind{decay: 0.9, momentum: 0.0, epsilon: 1e-10, centered: o.centered}
			var err error
			for _, h := range []struct {
				name string
				dst  *any
				val  any
			}{{"decay", &k.decay, o.decay}, {"momentum", &k.momentum, o.momentum}, {"epsilon", &k.epsilon, o.epsilon}} {
				if o.given[h.name] {
					if *h.dst, err = hyperValue(fn, h.name, h.val); err != nil {
						return nil, err
					}
				}
			}
			return k, nil
		})}
}

// AdagradOptimizer is Adagrad (tf.train.AdagradOptimizer):
// accum += grad^2; var -= learning_rate*grad/sqrt(accum). Its slot,
// "accumulator", is "<var>/Adagrad" and starts at the initial accumulator
// value (default 0.1).
type AdagradOptimizer struct{ *base }

type adagradKind struct{ init float64 }

func (k adagradKind) slots() []slotSpec                           { return []slotSpec{{name: "accumulator", init: k.init}} }
func (adagradKind) nonSlot() []slotSpec                           { return nil }
func (adagradKind) applyDef() *tf.OpDef                           { return adagradDef }
func (adagradKind) sparseDef() *tf.OpDef                          { return adagradSparseDef }
func (adagradKind) applyAttrs() tf.Attrs                          { return tf.Attrs{} }
func (adagradKind) finish(*base, []*tf.Operation) []*tf.Operation { return nil }

// NewAdagradOptimizer returns Adagrad (tf.train.AdagradOptimizer(learning_rate)),
// the learning rate a number or a scalar tensor.
// Options: InitialAccumulatorValue (default 0.1, must be positive), Name
// ("Adagrad").
func NewAdagradOptimizer(learningRate any, opts ...Option) *AdagradOptimizer {
	return &AdagradOptimizer{newBase("train.NewAdagradOptimizer", "Adagrad", learningRate, opts, []string{"initial_accumulator_value"},
		func(fn string, o *options) (kind, error) {
			k := adagradKind{init: 0.1}
			if o.given["initial_accumulator_value"] {
				k.init = o.initialAccum
			}
			if k.init <= 0 {
				return nil, errors.Errorf("%s: initial_accumulator_value must be positive: %v", fn, k.init)
			}
			return k, nil
		})}
}
