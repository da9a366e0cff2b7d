package nn

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// More of tf.nn's ops (TF's nn_ops.py): the activations softplus,
// softsign, relu6, selu and crelu, bias_add, l2_loss and top_k. Their
// gradients are TF's (nn_grad.py).

// unaryOp defines an elementwise activation computing f, for float types
// (and integers where ints is set).
func unaryOp(typ string, f kernels.Unary, ints bool) *tf.OpDef {
	return &tf.OpDef{
		Type: typ,
		Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
			if !in[0].DType.IsFloating() && !(ints && in[0].DType.IsInteger()) {
				want := "float32 or float64"
				if ints {
					want = "a numeric type"
				}
				return nil, errors.Errorf("features have dtype %s, want %s", in[0].DType, want)
			}
			return []tf.Spec{in[0]}, nil
		},
		Kernel: func(c *tf.KernelContext) error {
			if !f.Apply(tfimpl.Backing(c.In[0]), tfimpl.Backing(c.AllocUninit(0))) { // every element written
				return errors.Errorf("%s does not support %s", typ, tf.DTypeOf(c.In[0].Dtype()))
			}
			return nil
		},
	}
}

var (
	softplusDef = unaryOp("Softplus", kernels.Softplus, false)
	softsignDef = unaryOp("Softsign", kernels.Softsign, false)
	relu6Def    = unaryOp("Relu6", kernels.Relu6, true)
	seluDef     = unaryOp("Selu", kernels.Selu, false)
)

func activation(def *tf.OpDef, fn string, x any, opts []tf.Option) *tf.Tensor {
	a, err := tfimpl.ParseArgs(fn, opts, "name")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	return tf.AddOp(tf.OpSpec{Def: def, Name: a.Name(), Inputs: []any{x}}).Output(0)
}

// Softplus returns log(exp(x) + 1) elementwise, computed without overflow
// (tf.nn.softplus). Options: tf.Name.
func Softplus(x any, opts ...tf.Option) *tf.Tensor {
	return activation(softplusDef, "nn.Softplus", x, opts)
}

// Softsign returns x / (|x| + 1) elementwise (tf.nn.softsign).
// Options: tf.Name.
func Softsign(x any, opts ...tf.Option) *tf.Tensor {
	return activation(softsignDef, "nn.Softsign", x, opts)
}

// Relu6 returns min(max(x, 0), 6) elementwise (tf.nn.relu6), for floats
// and integers. Options: tf.Name.
func Relu6(x any, opts ...tf.Option) *tf.Tensor { return activation(relu6Def, "nn.Relu6", x, opts) }

// Selu returns the scaled exponential linear unit (tf.nn.selu):
// scale·x where x > 0, scale·alpha·(exp(x) - 1) elsewhere, with TF's
// scale 1.0507009873554805 and alpha 1.6732632423543772.
// Options: tf.Name.
func Selu(x any, opts ...tf.Option) *tf.Tensor { return activation(seluDef, "nn.Selu", x, opts) }

// Crelu concatenates relu(x) and relu(-x) along an axis, doubling its size
// (tf.nn.crelu), in a name scope "CRelu". Options: tf.Axis (one axis,
// default -1), tf.Name.
func Crelu(x any, opts ...tf.Option) *tf.Tensor {
	a, err := tfimpl.ParseArgs("nn.Crelu", opts, "name", "axis")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	axis := -1
	if a.Given("axis") {
		if len(a.Axes()) != 1 {
			return tfimpl.ErrTensor(errors.Errorf("nn.Crelu at %s: Axis takes one axis, got %v", tfimpl.CallerSite(), a.Axes()))
		}
		axis = a.Axes()[0]
	}
	t := asTensor(x, tf.Invalid)
	if t.Err() != nil {
		return t
	}
	defer t.Graph().NameScope(scopeOr(a.Name(), "CRelu"))()
	c := tf.Concat([]*tf.Tensor{t, tf.Neg(t)}, axis)
	return tf.Relu(c)
}

// scopeOr returns name, or def when name is "".
func scopeOr(name, def string) string {
	if name != "" {
		return name
	}
	return def
}

// BiasAdd adds a 1-D bias to value along its channels axis (tf.nn.bias_add):
// the last axis, or with tf.DataFormat("NCHW") axis 1. value must have rank
// at least 2 and the bias as many elements as that axis, and both one
// dtype. Its GraphDef form is TF's BiasAdd (NHWC). Options: tf.DataFormat
// ("NHWC" default, "NCHW"), tf.Name (default "BiasAdd").
func BiasAdd(value, bias any, opts ...tf.Option) *tf.Tensor {
	a, err := tfimpl.ParseArgs("nn.BiasAdd", opts, "name", "data_format")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	site := tfimpl.CallerSite()
	format := a.String("data_format", "NHWC")
	if format != "NHWC" && format != "NCHW" {
		return tfimpl.ErrTensor(errors.Errorf("nn.BiasAdd at %s: data_format %q, want \"NHWC\" or \"NCHW\"", site, format))
	}
	v := asTensor(value, tf.Invalid)
	if v.Err() != nil {
		return v
	}
	b := asTensor(bias, v.DType())
	if b.Err() != nil {
		return b
	}
	if v.DType() != b.DType() {
		return tfimpl.ErrTensor(errors.Errorf("nn.BiasAdd at %s: value has dtype %s and bias %s, want one dtype", site, v.DType(), b.DType()))
	}
	vs, bs := v.Shape(), b.Shape()
	if bs != nil && len(bs) != 1 {
		return tfimpl.ErrTensor(errors.Errorf("nn.BiasAdd at %s: bias has shape %v, want a vector (rank 1)", site, bs))
	}
	if vs != nil && len(vs) < 2 {
		return tfimpl.ErrTensor(errors.Errorf("nn.BiasAdd at %s: value has shape %v, want rank at least 2", site, vs))
	}
	channel := -1
	if vs != nil {
		channel = len(vs) - 1
		if format == "NCHW" {
			channel = 1
		}
		if bs != nil && vs[channel] >= 0 && bs[0] >= 0 && vs[channel] != bs[0] {
			return tfimpl.ErrTensor(errors.Errorf("nn.BiasAdd at %s: bias has %d elements, value's %s channels axis %d has %d",
				site, bs[0], format, channel, vs[channel]))
		}
	}
	name := scopeOr(a.Name(), "BiasAdd")
	if format == "NCHW" {
		if vs == nil {
			return tfimpl.ErrTensor(errors.Errorf("nn.BiasAdd at %s: NCHW needs value's rank", site))
		}
		// The bias as [C, 1, ..., 1], broadcast over the axes after 1.
		shape := []int{-1}
		for i := 2; i < len(vs); i++ {
			shape = append(shape, 1)
		}
		b = tf.Reshape(b, shape)
	}
	return tf.Add(v, b, tf.Name(name))
}

// ---- L2Loss ----

var l2LossDef = &tf.OpDef{
	Type: "L2Loss",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		if !in[0].DType.IsFloating() {
			return nil, errors.Errorf("t has dtype %s, want float32 or float64", in[0].DType)
		}
		return []tf.Spec{{DType: in[0].DType, Shape: tf.Shape{}}}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		s := 0.0
		for _, v := range kernels.Float64s(tfimpl.Backing(c.In[0])) {
			s += v * v
		}
		kernels.Fill(tfimpl.Backing(c.AllocUninit(0)), s/2)
		return nil
	},
}

// L2Loss returns sum(t²) / 2, a scalar (tf.nn.l2_loss), the usual weight
// decay term. Options: tf.Name.
func L2Loss(t any, opts ...tf.Option) *tf.Tensor { return activation(l2LossDef, "nn.L2Loss", t, opts) }

// ---- TopK ----

// topKDef is TF's TopKV2: the k largest entries of each row (last axis)
// and their indices, ties broken toward the lower index.
var topKDef = &tf.OpDef{
	Type: "TopKV2",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		if !in[0].DType.IsNumeric() {
			return nil, errors.Errorf("input has dtype %s, want a numeric type", in[0].DType)
		}
		k := a.Int("k", 1)
		s := in[0].Shape
		if s == nil {
			return []tf.Spec{{DType: in[0].DType}, {DType: tf.Int32}}, nil
		}
		if len(s) == 0 {
			return nil, errors.New("input must have rank at least 1, got a scalar")
		}
		if n := s[len(s)-1]; n >= 0 && n < k {
			return nil, errors.Errorf("input has %d entries in its last dimension, fewer than k = %d", n, k)
		}
		out := append(s.Clone()[:len(s)-1], k)
		return []tf.Spec{{DType: in[0].DType, Shape: out}, {DType: tf.Int32, Shape: out.Clone()}}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		x := c.In[0]
		xs := []int(x.Shape())
		k := c.Attrs().Int("k", 1)
		n := xs[len(xs)-1]
		if n < k {
			return errors.Errorf("input has %d entries in its last dimension, fewer than k = %d", n, k)
		}
		vals, idx := c.AllocUninit(0), c.AllocUninit(1) // every element written
		kernels.TopK(tfimpl.Backing(vals), tfimpl.Backing(idx).([]int32), tfimpl.Backing(x), n, k, c.Attrs().Bool("sorted"))
		return nil
	},
	GradTakesNil: true,
}

// topKGradDef scatters the gradient of TopK's values into the input's
// shape: inputs the input (for its shape), the indices and dy.
var topKGradDef = &tf.OpDef{
	Type:  "TopKGrad",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) { return []tf.Spec{in[0]}, nil },
	Kernel: func(c *tf.KernelContext) error {
		x, idx, dy := c.In[0], c.In[1], c.In[2]
		xs := []int(x.Shape())
		ks := []int(idx.Shape())
		out := c.Alloc(0) // zeroed: only the k entries of each row are set
		if !kernels.TopKGrad(tfimpl.Backing(out), xs[len(xs)-1], tfimpl.Backing(idx).([]int32), ks[len(ks)-1], tfimpl.Backing(dy)) {
			return errors.Errorf("the gradient of top_k needs a floating-point type, got %s", tf.DTypeOf(x.Dtype()))
		}
		return nil
	},
}

// TopK returns the k largest entries of each row of input (along its last
// axis) and their indices, int32 (tf.nn.top_k): sorted in descending order
// by default, equal values in index order; with tf.Sorted(false), the k
// entries in index order. The gradient flows to the values. Options: tf.Sorted (default true), tf.Name (default "TopKV2").
func TopK(input any, k int, opts ...tf.Option) (values, indices *tf.Tensor) {
	a, err := tfimpl.ParseArgs("nn.TopK", opts, "name", "sorted")
	if err != nil {
		e := tfimpl.ErrTensor(err)
		return e, e
	}
	if k < 0 {
		e := tfimpl.ErrTensor(errors.Errorf("nn.TopK at %s: k is %d, want k >= 0", tfimpl.CallerSite(), k))
		return e, e
	}
	op := tf.AddOp(tf.OpSpec{Def: topKDef, Name: a.Name(), Inputs: []any{input}, Attrs: tf.Attrs{"k": k, "sorted": a.Bool("sorted", true)}})
	return op.Output(0), op.Output(1)
}

func init() {
	// TF's SoftplusGrad: dy·sigmoid(x).
	softplusDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		return []*tf.Tensor{tf.Mul(dy[0], tf.Sigmoid(op.Inputs()[0]))}
	}
	// TF's SoftsignGrad: dy / (1 + |x|)².
	softsignDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		return []*tf.Tensor{tf.Div(dy[0], tf.Square(tf.Add(tf.Abs(op.Inputs()[0]), 1)))}
	}
	// TF's Relu6Grad: dy where 0 < y < 6, 0 elsewhere.
	relu6Def.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		y := op.Outputs()[0]
		inside := tf.LogicalAnd(tf.Greater(y, 0), tf.Less(y, 6))
		return []*tf.Tensor{tf.Where(inside, dy[0], tf.ZerosLike(dy[0]))}
	}
	// TF's SeluGrad: dy·(y + scale·alpha) where y < 0, dy·scale elsewhere.
	seluDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		y := op.Outputs()[0]
		neg := tf.Mul(dy[0], tf.Add(y, kernels.SeluScale*kernels.SeluAlpha))
		return []*tf.Tensor{tf.Where(tf.Less(y, 0), neg, tf.Mul(dy[0], kernels.SeluScale))}
	}
	// TF's _L2LossGrad: x·dy.
	l2LossDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		return []*tf.Tensor{tf.Mul(op.Inputs()[0], dy[0])}
	}
	topKDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		if dy[0] == nil {
			return []*tf.Tensor{nil}
		}
		x := op.Inputs()[0]
		return []*tf.Tensor{tf.AddOp(tf.OpSpec{Def: topKGradDef, Inputs: []any{x, op.Outputs()[1], dy[0]}}).Output(0)}
	}
}
