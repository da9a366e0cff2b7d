package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// The reductions beyond sum, mean, max and min: product, all, any,
// log-sum-exp, count_nonzero, variance and standard deviation.

// reduceInferFor is a reduction's shape inference for inputs whose dtype
// ok accepts (want names them in the error: "dtype int32 is not bool").
func reduceInferFor(ok func(DType) bool, want string) func(a Attrs, in []Spec) ([]Spec, error) {
	return func(a Attrs, in []Spec) ([]Spec, error) {
		if !ok(in[0].DType) {
			return nil, errors.Errorf("dtype %s is not %s", in[0].DType, want)
		}
		if in[0].Shape == nil {
			return []Spec{{DType: in[0].DType}}, nil
		}
		red, err := normAxes(a.Ints("axis"), len(in[0].Shape))
		if err != nil {
			return nil, err
		}
		return []Spec{{DType: in[0].DType, Shape: reducedShape(in[0].Shape, red, a.Bool("keepdims"))}}, nil
	}
}

var reduceProdDef = &OpDef{
	Type:  "Prod",
	Infer: reduceInferFor(DType.IsNumeric, "numeric"),
	Kernel: func(c *KernelContext) error {
		x := c.In[0]
		xs := []int(x.Shape())
		red, _ := normAxes(c.Op.attrs.Ints("axis"), len(xs))
		st, _ := reduceStrides(xs, red)
		kernels.ReduceProd(backing(c.AllocUninit(0)), st, backing(x), xs) // every element written
		return nil
	},
}

// prodGradDef is the gradient of Prod: inputs x and dy (the product's
// gradient), output dx of x's shape.
var prodGradDef = &OpDef{
	Type:  "ProdGrad",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) { return []Spec{in[0]}, nil },
	Kernel: func(c *KernelContext) error {
		x, dy := c.In[0], c.In[1]
		xs := []int(x.Shape())
		red, _ := normAxes(c.Op.attrs.Ints("axis"), len(xs))
		st, _ := reduceStrides(xs, red)
		if !kernels.ReduceProdGrad(backing(c.AllocUninit(0)), st, backing(x), backing(dy), xs) {
			return errors.Errorf("the gradient of reduce_prod needs a floating-point type, got %s", DTypeOf(x.Dtype()))
		}
		return nil
	},
}

func boolReduceDef(typ string, all bool) *OpDef {
	return &OpDef{
		Type:  typ,
		Infer: reduceInferFor(func(d DType) bool { return d == Bool }, "bool"),
		Kernel: func(c *KernelContext) error {
			x := c.In[0]
			xs := []int(x.Shape())
			red, _ := normAxes(c.Op.attrs.Ints("axis"), len(xs))
			st, _ := reduceStrides(xs, red)
			kernels.ReduceBool(data[bool](c.AllocUninit(0)), st, data[bool](x), xs, all) // every element written
			return nil
		},
	}
}

var (
	reduceAllDef = boolReduceDef("All", true)
	reduceAnyDef = boolReduceDef("Any", false)
)

// ReduceProd multiplies the elements over axes (tf.reduce_prod); the
// product of no elements is 1. Its gradient is TF's: each element gets the
// product of the others, exact where x holds zeros.
// Options: Axis (default all), KeepDims, Name.
func ReduceProd(x any, opts ...Option) *Tensor {
	return reduce(reduceProdDef, "tf.ReduceProd", x, opts)
}

// ReduceAll is the logical AND of a bool tensor over axes (tf.reduce_all);
// true over no elements. Options: Axis (default all), KeepDims, Name.
func ReduceAll(x any, opts ...Option) *Tensor { return reduce(reduceAllDef, "tf.ReduceAll", x, opts) }

// ReduceAny is the logical OR of a bool tensor over axes (tf.reduce_any);
// false over no elements. Options: Axis (default all), KeepDims, Name.
func ReduceAny(x any, opts ...Option) *Tensor { return reduce(reduceAnyDef, "tf.ReduceAny", x, opts) }

// reduceArgs parses a composite reduction's options and converts x.
func reduceArgs(fn string, x any, opts []Option, allowed ...string) (*options, *Tensor, error) {
	o, err := parseOptions(fn, opts, append([]string{"axis", "keepdims", "name"}, allowed...)...)
	if err != nil {
		return nil, nil, err
	}
	t, err := toTensor(x, Invalid)
	if err != nil {
		return nil, nil, errors.Wrapf(err, "%s at %s", fn, callerSite())
	}
	return o, t, nil
}

// redOpts returns the Axis and KeepDims options of o as options again.
func redOpts(o *options, keep bool, name string) []Option {
	var out []Option
	if o.given["axis"] {
		out = append(out, Axis(o.axes...))
	}
	out = append(out, KeepDims(keep))
	if name != "" {
		out = append(out, Name(name))
	}
	return out
}

// scopeName is the name of a composite op's name scope: the Name option
// or TF's default.
func scopeName(o *options, def string) string {
	if o.name != "" {
		return o.name
	}
	return def
}

// ReduceLogSumExp computes log(sum(exp(x))) over axes without overflow
// (tf.reduce_logsumexp): as TF 1.x, the maximum over the axes (0 where it
// is not finite) is subtracted before exp and added after log, through
// tf.StopGradient, in a name scope "ReduceLogSumExp". Over no elements it
// is -inf. Options: Axis (default all), KeepDims, Name.
func ReduceLogSumExp(x any, opts ...Option) *Tensor {
	o, t, err := reduceArgs("tf.ReduceLogSumExp", x, opts)
	if err != nil {
		return errorTensor(err)
	}
	if !t.DType().IsFloating() {
		return errorTensor(errors.Errorf("tf.ReduceLogSumExp at %s: x has dtype %s, want float32 or float64", callerSite(), t.DType()))
	}
	defer t.Graph().NameScope(scopeName(o, "ReduceLogSumExp"))()
	rawMax := ReduceMax(t, redOpts(o, true, "")...)
	myMax := StopGradient(Where(IsFinite(rawMax), rawMax, ZerosLike(rawMax)))
	result := Log(ReduceSum(Exp(Sub(t, myMax)), redOpts(o, o.keepDims, "")...))
	if !o.keepDims {
		myMax = reshapeLike(myMax, result)
	}
	return Add(result, myMax)
}

// CountNonzero counts the elements of x not equal to zero (false for
// bools) over axes (tf.count_nonzero), as TF: NotEqual to 0, Cast to
// int64, Sum, Cast to dtype, in a name scope "count_nonzero".
// Options: Axis (default all), KeepDims, WithDType (default Int64), Name.
func CountNonzero(x any, opts ...Option) *Tensor {
	o, t, err := reduceArgs("tf.CountNonzero", x, opts, "dtype")
	if err != nil {
		return errorTensor(err)
	}
	dt := Int64
	if o.given["dtype"] {
		dt = o.dtype
	}
	if !dt.IsNumeric() {
		return errorTensor(errors.Errorf("tf.CountNonzero at %s: dtype %s is not numeric", callerSite(), dt))
	}
	defer t.Graph().NameScope(scopeName(o, "count_nonzero"))()
	var zero any = 0
	if t.DType() == Bool {
		zero = false
	}
	n := ReduceSum(Cast(NotEqual(t, zero), Int64), redOpts(o, o.keepDims, "")...)
	return Cast(n, dt)
}

// ReduceVariance returns the variance of x over axes, the mean of squared
// deviations from the mean (tf.math.reduce_variance, dividing by N, not
// N-1), in a name scope "reduce_variance". For float32 and float64.
// Options: Axis (default all), KeepDims, Name.
func ReduceVariance(x any, opts ...Option) *Tensor {
	o, t, err := reduceArgs("tf.ReduceVariance", x, opts)
	if err != nil {
		return errorTensor(err)
	}
	if !t.DType().IsFloating() {
		return errorTensor(errors.Errorf("tf.ReduceVariance at %s: x has dtype %s, want float32 or float64", callerSite(), t.DType()))
	}
	defer t.Graph().NameScope(scopeName(o, "reduce_variance"))()
	return variance(t, o)
}

func variance(t *Tensor, o *options) *Tensor {
	means := ReduceMean(t, redOpts(o, true, "")...)
	return ReduceMean(Square(Sub(t, means)), redOpts(o, o.keepDims, "")...)
}

// ReduceStd returns the standard deviation of x over axes, the square root
// of ReduceVariance (tf.math.reduce_std), in a name scope "reduce_std".
// Options: Axis (default all), KeepDims, Name.
func ReduceStd(x any, opts ...Option) *Tensor {
	o, t, err := reduceArgs("tf.ReduceStd", x, opts)
	if err != nil {
		return errorTensor(err)
	}
	if !t.DType().IsFloating() {
		return errorTensor(errors.Errorf("tf.ReduceStd at %s: x has dtype %s, want float32 or float64", callerSite(), t.DType()))
	}
	defer t.Graph().NameScope(scopeName(o, "reduce_std"))()
	v := func() *Tensor {
		defer t.Graph().NameScope("reduce_variance")()
		return variance(t, o)
	}()
	return Sqrt(v)
}

// ---- StopGradient ----

var stopGradientDef = &OpDef{
	Type:  "StopGradient",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) { return []Spec{in[0]}, nil },
	Kernel: func(c *KernelContext) error {
		c.Set(0, c.In[0])
		return nil
	},
	Grad: noGrad,
}

// StopGradient returns x's value, through which no gradient flows
// (tf.stop_gradient): tf.Gradients treats it as a constant. Options: Name.
func StopGradient(x any, opts ...Option) *Tensor {
	return unary(stopGradientDef, "tf.StopGradient", x, opts)
}

func init() {
	reduceProdDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		// dy's elements are the groups' in order, kept dims or not.
		x := op.inputs[0]
		return []*Tensor{AddOp(OpSpec{Def: prodGradDef, Inputs: []any{x, dy[0]}, Attrs: Attrs{"axis": op.attrs.Ints("axis")}}).Output(0)}
	}
	reduceAllDef.Grad = noGrad
	reduceAnyDef.Grad = noGrad
}
