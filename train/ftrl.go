package train

import (
	"math"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/tf"
)

// FtrlOptimizer is FTRL-Proximal (McMahan et al., 2013) as TF 1.x computes
// it (tf.train.FtrlOptimizer, TF's ApplyFtrl and, with L2 shrinkage,
// ApplyFtrlV2): with p = -learning_rate_power and
// g_s = grad + 2*l2_shrinkage*var,
//
//	accum_new = accum + grad^2
//	linear += g_s - (accum_new^p - accum^p) / learning_rate * var
//	quadratic = accum_new^p / learning_rate + 2*l2
//	var = (sign(linear)*l1 - linear) / quadratic if |linear| > l1 else 0
//	accum = accum_new
//
// Its slots, "accum" (starting at the initial accumulator value, default
// 0.1) and "linear" (zeros), are "<var>/Ftrl" and "<var>/Ftrl_1" (AccumName
// and LinearName change the suffixes). A sparse gradient updates the rows
// it touches (SparseApplyFtrl, SparseApplyFtrlV2), repeated indices summed
// first; shrinkage then acts on those rows only.
type FtrlOptimizer struct{ *base }

var (
	ftrlHyper hyperFunc = func(a tf.Attrs, _ []float64, _ func(float64) float64) []float64 {
		return []float64{a.Float("lr", 0), a.Float("l1", 0), a.Float("l2", 0), a.Float("l2_shrinkage", 0), a.Float("lr_power", 0)}
	}
	ftrlDef         = applyDef("ApplyFtrl", ftrl[float32], ftrl[float64], ftrlHyper)
	ftrlV2Def       = applyDef("ApplyFtrlV2", ftrl[float32], ftrl[float64], ftrlHyper)
	ftrlSparseDef   = sparseApplyDef("SparseApplyFtrl", true, rowwise(ftrl[float32]), rowwise(ftrl[float64]), ftrlHyper)
	ftrlV2SparseDef = sparseApplyDef("SparseApplyFtrlV2", true, rowwise(ftrl[float32]), rowwise(ftrl[float64]), ftrlHyper)
)

// NewFtrlOptimizer returns FTRL-Proximal (tf.train.FtrlOptimizer(learning_rate)),
// the learning rate a number or a scalar tensor. Options, with TF's
// defaults and checks: LearningRatePower (-0.5, at most 0),
// InitialAccumulatorValue (0.1, at least 0), L1RegularizationStrength (0,
// at least 0), L2RegularizationStrength (0, at least 0),
// L2ShrinkageRegularizationStrength (0, at least 0), AccumName, LinearName,
// Name ("Ftrl").
func NewFtrlOptimizer(learningRate any, opts ...Option) *FtrlOptimizer {
	return &FtrlOptimizer{newBase("train.NewFtrlOptimizer", "Ftrl", learningRate, opts,
		[]string{"learning_rate_power", "initial_accumulator_value", "l1_regularization_strength", "l2_regularization_strength",
			"l2_shrinkage_regularization_strength", "accum_name", "linear_name"},
		func(fn string, o *options) (kind, error) {
			init := o.get("initial_accumulator_value", o.initialAccum, 0.1).(float64)
			lrPower := o.get("learning_rate_power", o.lrPower, -0.5).(float64)
			l1, err := number(fn, "l1_regularization_strength", o.get("l1_regularization_strength", o.l1, 0.0))
			if err != nil {
				return nil, err
			}
			l2, err := number(fn, "l2_regularization_strength", o.get("l2_regularization_strength", o.l2, 0.0))
			if err != nil {
				return nil, err
			}
			shrink := o.l2Shrinkage
			switch {
			case init < 0:
				return nil, errors.Errorf("%s: initial_accumulator_value %v needs to be positive or zero", fn, init)
			case lrPower > 0:
				return nil, errors.Errorf("%s: learning_rate_power %v needs to be negative or zero", fn, lrPower)
			case l1 < 0:
				return nil, errors.Errorf("%s: l1_regularization_strength %v needs to be positive or zero", fn, l1)
			case l2 < 0:
				return nil, errors.Errorf("%s: l2_regularization_strength %v needs to be positive or zero", fn, l2)
			case shrink < 0:
				return nil, errors.Errorf("%s: l2_shrinkage_regularization_strength %v needs to be positive or zero", fn, shrink)
			}
			k := plainKind{slotSpecs: []slotSpec{{name: "accum", init: init, suffix: o.accumName}, {name: "linear", init: 0, suffix: o.linearName}},
				dense: ftrlDef, sparse: ftrlSparseDef,
				attrs: tf.Attrs{"l1": l1, "l2": l2, "lr_power": lrPower}}
			if shrink > 0 {
				k.dense, k.sparse = ftrlV2Def, ftrlV2SparseDef
				k.attrs["l2_shrinkage"] = shrink
			}
			return k, nil
		})}
}

// ftrl is ApplyFtrl (l2_shrinkage 0) and ApplyFtrlV2; vals are var,
// accum, linear.
func ftrl[T float](vals [][]T, g []T, h []float64) {
	w, acc, lin := vals[0], vals[1], vals[2]
	lr, l1, l2, shrink, lrPower := T(h[0]), T(h[1]), T(h[2]), T(h[3]), T(h[4])
	pow := func(x T) T {
		if lrPower == -0.5 {
			return T(math.Sqrt(float64(x)))
		}
		return T(math.Pow(float64(x), float64(-lrPower)))
	}
	for i := range w {
		gs := g[i]
		if shrink != 0 {
			gs = g[i] + 2*shrink*w[i]
		}
		newAcc := acc[i] + g[i]*g[i]
		lin[i] += gs - (pow(newAcc)-pow(acc[i]))/lr*w[i]
		if lin[i] > l1 || lin[i] < -l1 {
			x := l1*sign(lin[i]) - lin[i]
			y := pow(newAcc)/lr + 2*l2
			w[i] = x / y
		} else {
			w[i] = 0
		}
		acc[i] = newAcc
	}
}
