package train

import (
	"math"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Learning rate schedules of TF 1.x (tf.train.exponential_decay, ...,
// tensorflow/python/training/learning_rate_decay.py): each returns a
// scalar tensor, the decayed learning rate, computed at every run from the
// global step (usually GetOrCreateGlobalStep()), to give an optimizer:
//
//	step := train.GetOrCreateGlobalStep()
//	lr := train.ExponentialDecay(0.1, step, 1000, 0.96, train.Staircase(true))
//	trainOp := train.NewAdamOptimizer(lr).Minimize(loss, train.GlobalStep(step))
//
// As in TF, the learning rate is a number (then a float32 tensor) or a
// scalar float tensor, whose dtype the result has; the step and the other
// arguments are cast to it and every operation is computed in it. The
// schedules are not differentiable.

// decaySchedule is one schedule: its name (the op type), and its value from
// the learning rate, the step (as given: an integer step is exact) and the
// attributes, each operation rounded by r to the learning rate's dtype.
type decaySchedule struct {
	name string
	f    func(lr, step float64, a tf.Attrs, r func(float64) float64) float64
}

// decayDef returns the op computing a schedule: inputs learning_rate and
// global_step, output the decayed rate.
func decayDef(s decaySchedule) *tf.OpDef {
	return &tf.OpDef{
		Type: s.name,
		Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
			if in[0].DType != tf.Float32 && in[0].DType != tf.Float64 {
				return nil, errors.Errorf("learning_rate has dtype %s; it must be float32 or float64", in[0].DType)
			}
			switch in[1].DType {
			case tf.Float32, tf.Float64, tf.Int32, tf.Int64:
			default:
				return nil, errors.Errorf("global_step has dtype %s; it must be a number", in[1].DType)
			}
			for i, n := range []string{"learning_rate", "global_step"} {
				if in[i].Shape != nil && len(in[i].Shape) != 0 {
					return nil, errors.Errorf("%s has shape %v; it must be a scalar", n, in[i].Shape)
				}
			}
			return []tf.Spec{{DType: in[0].DType, Shape: tf.Shape{}}}, nil
		},
		Kernel: func(c *tf.KernelContext) error {
			dt := tfimpl.SpecOf(c.In[0]).DType
			r := rounder(dt)
			lr, step := tfimpl.Float64s(c.In[0])[0], tfimpl.Float64s(c.In[1])[0]
			v := s.f(lr, step, c.Attrs(), r)
			out := c.Alloc(0)
			switch b := tfimpl.Backing(out).(type) {
			case []float32:
				b[0] = float32(v)
			case []float64:
				b[0] = v
			}
			return nil
		},
	}
}

// decay builds schedule def for the call fn: learning rate lr (a number
// or a scalar tensor) at the global step, with attributes attrs.
func decay(fn string, def *tf.OpDef, lr, globalStep any, opts []Option, allowed []string, attrs func(o *options) (tf.Attrs, error)) *tf.Tensor {
	t, err := decayOp(fn, def, lr, globalStep, opts, allowed, attrs)
	if err != nil {
		return tfimpl.ErrTensor(errors.WithMessagef(err, "%s at %s", fn, callsite.User()))
	}
	return t
}

func decayOp(fn string, def *tf.OpDef, lr, globalStep any, opts []Option, allowed []string, attrs func(o *options) (tf.Attrs, error)) (*tf.Tensor, error) {
	o, err := parse(fn, opts, append(allowed, "name")...)
	if err != nil {
		return nil, err
	}
	a, err := attrs(o)
	if err != nil {
		return nil, err
	}
	if globalStep == nil {
		return nil, errors.Errorf("global_step is required for %s", fn)
	}
	lrT, err := scalarInput("learning_rate", lr, tf.Float32)
	if err != nil {
		return nil, err
	}
	stepT, err := scalarInput("global_step", globalStep, tf.Int64)
	if err != nil {
		return nil, err
	}
	name := o.name
	if name == "" {
		name = def.Type
	}
	op := tf.AddOp(tf.OpSpec{Def: def, Name: name, Inputs: []any{lrT, stepT}, Attrs: a})
	if op.Err() != nil {
		return nil, op.Err()
	}
	return op.Output(0), nil
}

// scalarInput converts a number (to a constant of dtype dt) or a scalar
// *tf.Tensor or *tf.Variable given as name.
func scalarInput(name string, x any, dt tf.DType) (*tf.Tensor, error) {
	switch v := x.(type) {
	case *tf.Tensor:
		if v == nil {
			return nil, errors.Errorf("%s is a nil *tf.Tensor", name)
		}
		return v, v.Err()
	case *tf.Variable:
		if v == nil {
			return nil, errors.Errorf("%s is a nil *tf.Variable", name)
		}
		if v.Err() != nil {
			return nil, v.Err()
		}
		return v.Value(), nil
	}
	f, err := hyperValue("", name, x)
	if err != nil {
		return nil, errors.Errorf("%s must be a number or a scalar *tf.Tensor, not %T", name, x)
	}
	if dt == tf.Int64 {
		return tf.Constant(int64(f.(float64)), tf.Int64), nil
	}
	return tf.Constant(float32(f.(float64)), tf.Float32), nil
}

// Staircase makes ExponentialDecay, NaturalExpDecay and InverseTimeDecay
// decay the learning rate at discrete intervals (staircase=, default
// false).
func Staircase(s bool) Option { return Option{"staircase", func(o *options) { o.staircase = s }} }

// EndLearningRate sets PolynomialDecay's final learning rate
// (end_learning_rate=, default 0.0001).
func EndLearningRate(x float64) Option {
	return Option{"end_learning_rate", func(o *options) { o.endLR = x }}
}

// Power sets PolynomialDecay's power (power=, default 1).
func Power(x float64) Option { return Option{"power", func(o *options) { o.power = x }} }

// Cycle makes PolynomialDecay start over beyond decay_steps (cycle=,
// default false).
func Cycle(c bool) Option { return Option{"cycle", func(o *options) { o.cycle = c }} }

// Alpha sets the minimum learning rate of the cosine decays, as a fraction
// of the learning rate (alpha=, default 0).
func Alpha(x float64) Option { return Option{"alpha", func(o *options) { o.alpha = x }} }

// TMul sets CosineDecayRestarts' factor of the number of steps of each
// period (t_mul=, default 2).
func TMul(x float64) Option { return Option{"t_mul", func(o *options) { o.tMul = x }} }

// MMul sets CosineDecayRestarts' factor of the initial learning rate of
// each period (m_mul=, default 1).
func MMul(x float64) Option { return Option{"m_mul", func(o *options) { o.mMul = x }} }

// NumPeriods sets LinearCosineDecay's number of periods of its cosine part
// (num_periods=, default 0.5).
func NumPeriods(x float64) Option {
	return Option{"num_periods", func(o *options) { o.numPeriods = x }}
}

// Beta sets LinearCosineDecay's beta (beta=, default 0.001).
func Beta(x float64) Option { return Option{"beta", func(o *options) { o.beta = x }} }

func positiveSteps(name string, x float64) error {
	if !(x > 0) {
		return errors.Errorf("%s must be positive: %v", name, x)
	}
	return nil
}

// p is step/decaySteps, floored with staircase.
func decayFraction(step float64, a tf.Attrs, r func(float64) float64) float64 {
	p := r(step / r(a.Float("decay_steps", 1)))
	if a.Bool("staircase") {
		p = math.Floor(p)
	}
	return p
}

var (
	exponentialDecayDef = decayDef(decaySchedule{"ExponentialDecay", func(lr, step float64, a tf.Attrs, r func(float64) float64) float64 {
		step = r(step) // the step cast to the learning rate\'s dtype
		return r(lr * r(math.Pow(r(a.Float("decay_rate", 0)), decayFraction(step, a, r))))
	}})
	naturalExpDecayDef = decayDef(decaySchedule{"NaturalExpDecay", func(lr, step float64, a tf.Attrs, r func(float64) float64) float64 {
		step = r(step) // the step cast to the learning rate\'s dtype
		rate := r(math.Exp(-r(a.Float("decay_rate", 0))))
		return r(lr * r(math.Pow(rate, decayFraction(step, a, r))))
	}})
	inverseTimeDecayDef = decayDef(decaySchedule{"InverseTimeDecay", func(lr, step float64, a tf.Attrs, r func(float64) float64) float64 {
		step = r(step) // the step cast to the learning rate\'s dtype
		return r(lr / r(1+r(r(a.Float("decay_rate", 0))*decayFraction(step, a, r))))
	}})
	polynomialDecayDef = decayDef(decaySchedule{"PolynomialDecay", func(lr, step float64, a tf.Attrs, r func(float64) float64) float64 {
		step = r(step) // the step cast to the learning rate\'s dtype
		end, power, steps := r(a.Float("end_learning_rate", 0)), r(a.Float("power", 1)), r(a.Float("decay_steps", 1))
		if a.Bool("cycle") {
			mult := 1.0
			if step != 0 {
				mult = math.Ceil(r(step / steps))
			}
			steps = r(steps * mult)
		} else {
			step = math.Min(step, steps)
		}
		p := r(step / steps)
		return r(r(r(lr-end)*r(math.Pow(r(1-p), power))) + end)
	}})
	cosineDecayDef = decayDef(decaySchedule{"CosineDecay", func(lr, step float64, a tf.Attrs, r func(float64) float64) float64 {
		step = r(step) // the step cast to the learning rate\'s dtype
		steps, alpha := r(a.Float("decay_steps", 1)), r(a.Float("alpha", 0))
		frac := r(math.Min(step, steps) / steps)
		cos := r(0.5 * r(1+r(math.Cos(r(r(math.Pi)*frac)))))
		return r(lr * r(r(r(1-alpha)*cos)+alpha))
	}})
	cosineDecayRestartsDef = decayDef(decaySchedule{"CosineDecayRestarts", func(lr, step float64, a tf.Attrs, r func(float64) float64) float64 {
		step = r(step) // the step cast to the learning rate\'s dtype
		steps, alpha := r(a.Float("decay_steps", 1)), r(a.Float("alpha", 0))
		tMul, mMul := r(a.Float("t_mul", 2)), r(a.Float("m_mul", 1))
		frac := r(step / steps)
		var i float64
		if tMul == 1 {
			i = math.Floor(frac)
			frac = r(frac - i)
		} else {
			i = math.Floor(r(r(math.Log(r(1-r(frac*r(1-tMul))))) / r(math.Log(tMul))))
			sum := r(r(1-r(math.Pow(tMul, i))) / r(1-tMul))
			frac = r(r(frac-sum) / r(math.Pow(tMul, i)))
		}
		m := r(math.Pow(mMul, i))
		cos := r(r(0.5*m) * r(1+r(math.Cos(r(r(math.Pi)*frac)))))
		return r(lr * r(r(r(1-alpha)*cos)+alpha))
	}})
	linearCosineDecayDef = decayDef(decaySchedule{"LinearCosineDecay", func(lr, step float64, a tf.Attrs, r func(float64) float64) float64 {
		step = r(step) // the step cast to the learning rate\'s dtype
		steps := r(a.Float("decay_steps", 1))
		periods, alpha, beta := r(a.Float("num_periods", 0.5)), r(a.Float("alpha", 0)), r(a.Float("beta", 0.001))
		step = math.Min(step, steps)
		linear := r(r(steps-step) / steps)
		frac := r(step / steps)
		fraction := r(r(2*periods) * frac)
		cos := r(0.5 * r(1+r(math.Cos(r(r(math.Pi)*fraction)))))
		return r(lr * r(r(r(alpha+linear)*cos)+beta))
	}})
	piecewiseConstantDef = decayDef(decaySchedule{"PiecewiseConstant", func(_, x float64, a tf.Attrs, r func(float64) float64) float64 {
		b, v := a["boundaries"].([]float64), a["values"].([]float64)
		for i, bi := range b {
			if x <= bi {
				return r(v[i])
			}
		}
		return r(v[len(v)-1])
	}})
)

// ExponentialDecay returns learning_rate * decay_rate^(global_step /
// decay_steps), the exponent floored with Staircase(true)
// (tf.train.exponential_decay). Options: Staircase (default false), Name
// ("ExponentialDecay").
func ExponentialDecay(learningRate, globalStep any, decaySteps, decayRate float64, opts ...Option) *tf.Tensor {
	return decay("train.ExponentialDecay", exponentialDecayDef, learningRate, globalStep, opts, []string{"staircase"},
		func(o *options) (tf.Attrs, error) {
			return tf.Attrs{"decay_steps": decaySteps, "decay_rate": decayRate, "staircase": o.staircase}, positiveSteps("decay_steps", decaySteps)
		})
}

// NaturalExpDecay returns learning_rate * exp(-decay_rate)^(global_step /
// decay_steps), the exponent floored with Staircase(true)
// (tf.train.natural_exp_decay). Options: Staircase (default false), Name
// ("NaturalExpDecay").
func NaturalExpDecay(learningRate, globalStep any, decaySteps, decayRate float64, opts ...Option) *tf.Tensor {
	return decay("train.NaturalExpDecay", naturalExpDecayDef, learningRate, globalStep, opts, []string{"staircase"},
		func(o *options) (tf.Attrs, error) {
			return tf.Attrs{"decay_steps": decaySteps, "decay_rate": decayRate, "staircase": o.staircase}, positiveSteps("decay_steps", decaySteps)
		})
}

// InverseTimeDecay returns learning_rate / (1 + decay_rate * global_step /
// decay_steps), the quotient floored with Staircase(true)
// (tf.train.inverse_time_decay). Options: Staircase (default false), Name
// ("InverseTimeDecay").
func InverseTimeDecay(learningRate, globalStep any, decaySteps, decayRate float64, opts ...Option) *tf.Tensor {
	return decay("train.InverseTimeDecay", inverseTimeDecayDef, learningRate, globalStep, opts, []string{"staircase"},
		func(o *options) (tf.Attrs, error) {
			return tf.Attrs{"decay_steps": decaySteps, "decay_rate": decayRate, "staircase": o.staircase}, positiveSteps("decay_steps", decaySteps)
		})
}

// PolynomialDecay returns (learning_rate - end_learning_rate) *
// (1 - min(global_step, decay_steps)/decay_steps)^power + end_learning_rate
// (tf.train.polynomial_decay); with Cycle(true), decay_steps becomes its
// first multiple at or above global_step (decay_steps itself at step 0).
// Options: EndLearningRate (default 0.0001), Power (1), Cycle (false), Name
// ("PolynomialDecay").
func PolynomialDecay(learningRate, globalStep any, decaySteps float64, opts ...Option) *tf.Tensor {
	return decay("train.PolynomialDecay", polynomialDecayDef, learningRate, globalStep, opts, []string{"end_learning_rate", "power", "cycle"},
		func(o *options) (tf.Attrs, error) {
			return tf.Attrs{"decay_steps": decaySteps, "end_learning_rate": o.get("end_learning_rate", o.endLR, 0.0001),
				"power": o.get("power", o.power, 1.0), "cycle": o.cycle}, positiveSteps("decay_steps", decaySteps)
		})
}

// CosineDecay returns learning_rate * ((1-alpha)*0.5*(1 + cos(pi *
// min(global_step, decay_steps)/decay_steps)) + alpha) (tf.train.cosine_decay,
// Loshchilov and Hutter's SGDR without restarts). Options: Alpha (default
// 0), Name ("CosineDecay").
func CosineDecay(learningRate, globalStep any, decaySteps float64, opts ...Option) *tf.Tensor {
	return decay("train.CosineDecay", cosineDecayDef, learningRate, globalStep, opts, []string{"alpha"},
		func(o *options) (tf.Attrs, error) {
			return tf.Attrs{"decay_steps": decaySteps, "alpha": o.alpha}, positiveSteps("decay_steps", decaySteps)
		})
}

// CosineDecayRestarts is CosineDecay with warm restarts
// (tf.train.cosine_decay_restarts): the i-th period lasts
// first_decay_steps * t_mul^i steps and starts at learning_rate * m_mul^i.
// Options: TMul (default 2), MMul (1), Alpha (0), Name
// ("CosineDecayRestarts").
func CosineDecayRestarts(learningRate, globalStep any, firstDecaySteps float64, opts ...Option) *tf.Tensor {
	return decay("train.CosineDecayRestarts", cosineDecayRestartsDef, learningRate, globalStep, opts, []string{"t_mul", "m_mul", "alpha"},
		func(o *options) (tf.Attrs, error) {
			return tf.Attrs{"decay_steps": firstDecaySteps, "t_mul": o.get("t_mul", o.tMul, 2.0), "m_mul": o.get("m_mul", o.mMul, 1.0),
				"alpha": o.alpha}, positiveSteps("first_decay_steps", firstDecaySteps)
		})
}

// LinearCosineDecay returns learning_rate * ((alpha + linear) * cosine +
// beta) with s = min(global_step, decay_steps), linear = (decay_steps -
// s)/decay_steps and cosine = 0.5*(1 + cos(pi * 2*num_periods *
// s/decay_steps)) (tf.train.linear_cosine_decay). Options: NumPeriods
// (default 0.5), Alpha (0), Beta (0.001), Name ("LinearCosineDecay").
func LinearCosineDecay(learningRate, globalStep any, decaySteps float64, opts ...Option) *tf.Tensor {
	return decay("train.LinearCosineDecay", linearCosineDecayDef, learningRate, globalStep, opts, []string{"num_periods", "alpha", "beta"},
		func(o *options) (tf.Attrs, error) {
			return tf.Attrs{"decay_steps": decaySteps, "num_periods": o.get("num_periods", o.numPeriods, 0.5), "alpha": o.alpha,
				"beta": o.get("beta", o.beta, 0.001)}, positiveSteps("decay_steps", decaySteps)
		})
}

// PiecewiseConstant returns values[0] while x <= boundaries[0],
// values[i] while boundaries[i-1] < x <= boundaries[i], and the last value
// beyond the last boundary (tf.train.piecewise_constant), as a float32
// scalar. x is usually the global step. Options: Name ("PiecewiseConstant").
func PiecewiseConstant(x any, boundaries, values []float64, opts ...Option) *tf.Tensor {
	return decay("train.PiecewiseConstant", piecewiseConstantDef, 0.0, x, opts, nil,
		func(o *options) (tf.Attrs, error) {
			if len(values) != len(boundaries)+1 {
				return nil, errors.Errorf("the length of boundaries (%d) should be 1 less than the length of values (%d)", len(boundaries), len(values))
			}
			for i := 1; i < len(boundaries); i++ {
				if boundaries[i] < boundaries[i-1] {
					return nil, errors.Errorf("boundaries must be increasing: %v", boundaries)
				}
			}
			return tf.Attrs{"boundaries": append([]float64(nil), boundaries...), "values": append([]float64(nil), values...)}, nil
		})
}
