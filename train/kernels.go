package train

import (
	"math"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/internal/varstore"
	"github.com/gorgoflow/gorgoflow/tf"
)

type float interface{ ~float32 | ~float64 }

// applyInfer checks the gradient against the variable being updated.
func applyInfer(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	v := a["variable"].(*tf.Variable)
	if in[0].DType != v.DType() {
		return nil, errors.Errorf("gradient has dtype %s, variable %q has %s", in[0].DType, v.Name(), v.DType())
	}
	if !v.Shape().IsCompatibleWith(in[0].Shape) {
		return nil, errors.Errorf("gradient has shape %v, variable %q has %v", in[0].Shape, v.Name(), v.Shape())
	}
	return nil, hyperInfer(a, in[1:])
}

// hyperInfer checks the tensor hyperparameters: real scalars.
func hyperInfer(a tf.Attrs, in []tf.Spec) error {
	names, _ := a["tensor_hypers"].([]string)
	if len(names) != len(in) {
		return errors.Errorf("%d hyperparameter inputs for %d tensor hyperparameters", len(in), len(names))
	}
	for i, n := range names {
		switch in[i].DType {
		case tf.Float32, tf.Float64, tf.Int32, tf.Int64:
		default:
			return errors.Errorf("%s has dtype %s; it must be a real number", n, in[i].DType)
		}
		if in[i].Shape != nil && len(in[i].Shape) != 0 {
			return errors.Errorf("%s has shape %v; it must be a scalar", n, in[i].Shape)
		}
	}
	return nil
}

// hyperFunc computes the step's scalars of an optimizer from its
// attributes and the values of its non-slot variables; r rounds a value to
// the variable's dtype, for optimizers whose kernels compute scalars in it.
type hyperFunc func(a tf.Attrs, nonSlot []float64, r func(float64) float64) []float64

// rounder returns the rounding to dt's precision.
func rounder(dt tf.DType) func(float64) float64 {
	if dt == tf.Float32 {
		return func(x float64) float64 { return float64(float32(x)) }
	}
	return func(x float64) float64 { return x }
}

// update is one optimizer's elementwise rule. vals[0] is the variable and
// vals[1:] its slots, all copies the rule updates in place; g is the
// gradient; h holds the scalar hyperparameters of this step.
type update[T float] func(vals [][]T, g []T, h []float64)

// applyDef returns the op type that updates a variable and its slots by a
// rule. hyper computes the step's scalars from the attributes and the
// values of the non-slot variables.
func applyDef(typ string, f32 update[float32], f64 update[float64], hyper hyperFunc) *tf.OpDef {
	return &tf.OpDef{
		Type:     typ,
		Infer:    applyInfer,
		Stateful: true,
		Kernel: func(c *tf.KernelContext) error {
			vars, h, err := applyArgs(c, hyper, 1)
			if err != nil {
				return err
			}
			switch vars[0].DType() {
			case tf.Float32:
				return applyDense(c, vars, f32, h)
			case tf.Float64:
				return applyDense(c, vars, f64, h)
			}
			return errors.Errorf("cannot train variable %q of dtype %s", vars[0].Name(), vars[0].DType())
		},
	}
}

// applyArgs returns the variables an apply op updates (the variable, then
// its slots) and the step's scalars; the op's tensor hyperparameters are
// its inputs from nIn on.
func applyArgs(c *tf.KernelContext, hyper hyperFunc, nIn int) ([]*tf.Variable, []float64, error) {
	v := c.Attrs()["variable"].(*tf.Variable)
	a, err := resolveHypers(c, nIn, v.DType())
	if err != nil {
		return nil, nil, err
	}
	slots := a["slots"].([]*tf.Variable)
	var ns []float64
	for _, s := range a["nonslot"].([]*tf.Variable) {
		d, err := tfimpl.Env(c).ReadVariable(s)
		if err != nil {
			return nil, nil, err
		}
		ns = append(ns, tfimpl.Float64s(d)[0])
	}
	return append([]*tf.Variable{v}, slots...), hyper(a, ns, rounder(v.DType())), nil
}

// applyDense updates the variables by the rule f with the dense gradient
// c.In[0].
func applyDense[T float](c *tf.KernelContext, vars []*tf.Variable, f update[T], h []float64) error {
	g, ok := tfimpl.Backing(c.In[0]).([]T)
	if !ok {
		return errors.New("gradient dtype differs from the variable's")
	}
	return applyT(c, vars, len(g), func(vals [][]T) { f(vals, g, h) })
}

// applyState is what an apply op keeps per session across runs.
type applyState struct {
	// scratch holds a sparse apply op's buffers.
	scratch sparseScratch
}

// applyT updates the variables, of n elements each, by run, through the
// session's variable store (internal/varstore), which decides whether run
// changes the variables' own values, as TensorFlow's optimizers do, or
// copies that it then stores, so that tensors read before keep their
// values; the rule is stated once, in varstore's doc.
func applyT[T float](c *tf.KernelContext, vars []*tf.Variable, n int, run func(vals [][]T)) error {
	u, ok := tfimpl.Env(c).(varstore.Updater)
	if !ok {
		return errors.Errorf("internal error: the session running %s cannot update variables", c.Op.Type())
	}
	return u.Update(c.Op, vars, func(ds []*tensor.Dense) error {
		vals := make([][]T, len(vars))
		for i, v := range vars {
			old, ok := tfimpl.Backing(ds[i]).([]T)
			if !ok || len(old) != n {
				return errors.Errorf("variable %q holds %v, its gradient is for %d elements", v.Name(), tfimpl.SpecOf(ds[i]), n)
			}
			vals[i] = old
		}
		run(vals)
		return nil
	})
}

// ---- the rules, as tensorflow/core/kernels/training_ops.cc ----

// var -= lr * grad
func sgd[T float](vals [][]T, g []T, h []float64) {
	w, lr := vals[0], T(h[0])
	for i := range w {
		w[i] -= lr * g[i]
	}
}

// accum = accum*momentum + grad
// var -= lr*accum, or with Nesterov var -= grad*lr + accum*momentum*lr
func momentum[T float](vals [][]T, g []T, h []float64) {
	w, acc := vals[0], vals[1]
	lr, mom, nesterov := T(h[0]), T(h[1]), h[2] != 0
	for i := range w {
		acc[i] = acc[i]*mom + g[i]
		if nesterov {
			w[i] -= g[i]*lr + acc[i]*mom*lr
		} else {
			w[i] -= lr * acc[i]
		}
	}
}

// lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
// m = m + (g - m) * (1 - beta1)
// v = v + (g^2 - v) * (1 - beta2)
// var -= lr_t * m / (sqrt(v) + epsilon)
func adam[T float](vals [][]T, g []T, h []float64) {
	w, m, v := vals[0], vals[1], vals[2]
	lrT, b1, b2, eps := T(h[0]), T(h[1]), T(h[2]), T(h[3])
	m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
	if w32, ok := any(w).([]float32); ok && haveAVX2 && len(w) >= 8 {
		n := len(w) &^ 7
		adamAVX2(n, &w32[0], &any(m).([]float32)[0], &any(v).([]float32)[0], &any(g).([]float32)[0],
			float32(lrT), float32(1-b1), float32(1-b2), float32(eps))
		w, m, v, g = w[n:], m[n:], v[n:], g[n:]
	}
	for i := range w {
		m[i] += (g[i] - m[i]) * (1 - b1)
		v[i] += (g[i]*g[i] - v[i]) * (1 - b2)
		w[i] -= lrT * m[i] / (T(math.Sqrt(float64(v[i]))) + eps)
	}
}

// ms = ms + (grad^2 - ms) * (1 - decay)
// mom = mom*momentum + lr*grad/sqrt(ms + epsilon)
// var -= mom
// Centered: mg = mg + (grad - mg)*(1 - decay) and the denominator is
// sqrt(ms - mg^2 + epsilon). vals are var, ms, [mg,] mom.
func rmsprop[T float](vals [][]T, g []T, h []float64) {
	lr, decay, mom, eps, centered := T(h[0]), T(h[1]), T(h[2]), T(h[3]), h[4] != 0
	w, ms := vals[0], vals[1]
	var mg, mo []T
	if centered {
		mg, mo = vals[2], vals[3]
	} else {
		mo = vals[2]
	}
	for i := range w {
		ms[i] += (g[i]*g[i] - ms[i]) * (1 - decay)
		den := ms[i] + eps
		if centered {
			mg[i] += (g[i] - mg[i]) * (1 - decay)
			den = ms[i] - mg[i]*mg[i] + eps
		}
		mo[i] = mo[i]*mom + lr*g[i]/T(math.Sqrt(float64(den)))
		w[i] -= mo[i]
	}
}

// accum += grad^2; var -= lr * grad / sqrt(accum)
func adagrad[T float](vals [][]T, g []T, h []float64) {
	w, acc, lr := vals[0], vals[1], T(h[0])
	for i := range w {
		acc[i] += g[i] * g[i]
		w[i] -= lr * g[i] / T(math.Sqrt(float64(acc[i])))
	}
}

// ---- small state ops: Adam's beta powers, the global step ----

// scaleVarDef multiplies a scalar variable by the attribute "factor", or
// by its input when it has one (a tensor hyperparameter), cast to the
// variable's dtype as TF's beta1_power * beta1_t.
var scaleVarDef = &tf.OpDef{
	Type:     "AssignMul",
	Infer:    func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) { return nil, nil },
	Stateful: true,
	Kernel: func(c *tf.KernelContext) error {
		factor := c.Attrs().Float("factor", 1)
		if len(c.In) == 1 {
			factor = tfimpl.Float64s(c.In[0])[0]
		}
		factor = rounder(c.Attrs()["variable"].(*tf.Variable).DType())(factor)
		return updateScalar(c, func(x float64) float64 { return x * factor })
	},
}

// addVarDef adds the attribute "delta" to a variable (tf.assign_add).
var addVarDef = &tf.OpDef{
	Type:     "AssignAdd",
	Infer:    func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) { return nil, nil },
	Stateful: true,
	Kernel: func(c *tf.KernelContext) error {
		return updateScalar(c, func(x float64) float64 { return x + c.Attrs().Float("delta", 0) })
	},
}

// updateScalar replaces every element x of the variable by f(x), in a new
// buffer of the variable's dtype.
func updateScalar(c *tf.KernelContext, f func(float64) float64) error {
	v := c.Attrs()["variable"].(*tf.Variable)
	d, err := tfimpl.Env(c).ReadVariable(v)
	if err != nil {
		return err
	}
	nd := tfimpl.NewDense(tfimpl.SpecOf(d))
	switch o := tfimpl.Backing(nd).(type) {
	case []float32:
		for i, x := range tfimpl.Backing(d).([]float32) {
			o[i] = float32(f(float64(x)))
		}
	case []float64:
		for i, x := range tfimpl.Backing(d).([]float64) {
			o[i] = f(x)
		}
	case []int32:
		for i, x := range tfimpl.Backing(d).([]int32) {
			o[i] = int32(f(float64(x)))
		}
	case []int64:
		for i, x := range tfimpl.Backing(d).([]int64) {
			o[i] = int64(f(float64(x)))
		}
	default:
		return errors.Errorf("cannot update variable %q of dtype %s", v.Name(), v.DType())
	}
	return tfimpl.Env(c).AssignVariable(v, nd)
}

func assignAdd(v *tf.Variable, delta float64, name string, control []*tf.Operation) *tf.Operation {
	return tf.AddOp(tf.OpSpec{Def: addVarDef, Name: name, Attrs: tf.Attrs{"variable": v, "delta": delta}, Control: control, Graph: v.Graph()})
}

// assignMul multiplies v by factor, a float64 or a scalar *tf.Tensor.
func assignMul(v *tf.Variable, factor any, name string, control []*tf.Operation) *tf.Operation {
	if t, ok := factor.(*tf.Tensor); ok {
		return tf.AddOp(tf.OpSpec{Def: scaleVarDef, Name: name, Inputs: []any{t}, Attrs: tf.Attrs{"variable": v}, Control: control, Graph: v.Graph()})
	}
	return tf.AddOp(tf.OpSpec{Def: scaleVarDef, Name: name, Attrs: tf.Attrs{"variable": v, "factor": factor}, Control: control, Graph: v.Graph()})
}
