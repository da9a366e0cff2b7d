package nn

import (
	"math"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Relu returns max(x, 0) elementwise (tf.nn.relu). Options: tf.Name.
func Relu(x any, opts ...tf.Option) *tf.Tensor { return tf.Relu(x, opts...) }

// Sigmoid returns 1/(1+exp(-x)) elementwise (tf.nn.sigmoid, tf.sigmoid).
// Options: tf.Name.
func Sigmoid(x any, opts ...tf.Option) *tf.Tensor { return tf.Sigmoid(x, opts...) }

// Tanh returns the hyperbolic tangent elementwise (tf.nn.tanh, tf.tanh).
// Options: tf.Name.
func Tanh(x any, opts ...tf.Option) *tf.Tensor { return tf.Tanh(x, opts...) }

func floatUnaryInfer(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	if !in[0].DType.IsFloating() {
		return nil, errors.Errorf("dtype %s is not a floating-point type", in[0].DType)
	}
	return []tf.Spec{in[0]}, nil
}

// mapFloat applies f to every element of in, writing a new output 0.
func mapFloat(c *tf.KernelContext, f func(float64) float64) error {
	out := c.AllocUninit(0) // every element written
	switch x := tfimpl.Backing(c.In[0]).(type) {
	case []float32:
		o := tfimpl.Backing(out).([]float32)
		for i, v := range x {
			o[i] = float32(f(float64(v)))
		}
	case []float64:
		o := tfimpl.Backing(out).([]float64)
		for i, v := range x {
			o[i] = f(v)
		}
	default:
		return errors.Errorf("%s does not support %s", c.Op.Type(), tf.DTypeOf(c.In[0].Dtype()))
	}
	return nil
}

var eluDef = &tf.OpDef{
	Type:  "Elu",
	Infer: floatUnaryInfer,
	Kernel: func(c *tf.KernelContext) error {
		return mapFloat(c, func(x float64) float64 {
			if x > 0 {
				return x
			}
			return math.Expm1(x)
		})
	},
}

// Elu returns the exponential linear unit: x where x > 0, exp(x)-1
// elsewhere (tf.nn.elu). Options: tf.Name.
func Elu(x any, opts ...tf.Option) *tf.Tensor {
	a, err := tfimpl.ParseArgs("nn.Elu", opts, "name")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	return tf.AddOp(tf.OpSpec{Def: eluDef, Name: a.Name(), Inputs: []any{x}}).Output(0)
}

var leakyReluDef = &tf.OpDef{
	Type:  "LeakyRelu",
	Infer: floatUnaryInfer,
	Kernel: func(c *tf.KernelContext) error {
		alpha := c.Attrs().Float("alpha", 0.2)
		return mapFloat(c, func(x float64) float64 {
			if x > 0 {
				return x
			}
			return alpha * x
		})
	},
}

// LeakyRelu returns x where x > 0 and alpha*x elsewhere
// (tf.nn.leaky_relu). Integer features are cast to float32 first, as TF's.
// Options: tf.Alpha (default 0.2), tf.Name.
func LeakyRelu(x any, opts ...tf.Option) *tf.Tensor {
	a, err := tfimpl.ParseArgs("nn.LeakyRelu", opts, "name", "alpha")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	if t, ok := x.(*tf.Tensor); ok && t != nil && t.DType().IsInteger() {
		x = tf.Cast(t, tf.Float32)
	}
	return tf.AddOp(tf.OpSpec{Def: leakyReluDef, Name: a.Name(), Inputs: []any{x}, Attrs: tf.Attrs{"alpha": a.Alpha()}}).Output(0)
}

// scalarLike returns a scalar constant of x's dtype.
func scalarLike(v float64, dt tf.DType) *tf.Tensor {
	if dt == tf.Float32 {
		return tf.Constant(tensor.New(tensor.FromScalar(float32(v))), tf.Float32)
	}
	return tf.Constant(tensor.New(tensor.FromScalar(v)), tf.Float64)
}

func init() {
	eluDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		x, y := op.Inputs()[0], op.Outputs()[0]
		return []*tf.Tensor{tf.Where(tf.Greater(x, 0), dy[0], tf.Mul(dy[0], tf.Add(y, 1)))}
	}
	leakyReluDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		x := op.Inputs()[0]
		alpha := scalarLike(op.Attrs().Float("alpha", 0.2), x.DType())
		return []*tf.Tensor{tf.Where(tf.Greater(x, 0), dy[0], tf.Mul(dy[0], alpha))}
	}
}
