package layers

import (
	"github.com/pkg/errors"
	"gonum.org/v1/gonum/blas"
	"gorgonia.org/tensor"

	iblas "github.com/gorgoflow/gorgoflow/internal/blas"
	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// FullyConnected adds a fully connected layer
// (tf.contrib.layers.fully_connected(inputs, num_outputs)):
// activation(inputs · weights + biases), with weights [in, numOutputs]
// (glorot-uniform) and biases [numOutputs] (zeros) created in the variable
// scope "fully_connected" (uniquified) or Scope. The default activation is
// ReLU, as in TF; ActivationFn(nil) makes the layer linear. inputs has rank
// 2 or more with its last dimension known; the layer maps the last
// dimension and keeps the others.
//
// Options: ActivationFn, Scope, WeightsInitializer, BiasesInitializer
// (nil: no biases), Trainable.
func FullyConnected(inputs *tf.Tensor, numOutputs int, opts ...Option) *tf.Tensor {
	fn := "layers.FullyConnected at " + callsite.User()
	o, err := parse(fn, opts, "activation_fn", "scope", "weights_initializer", "biases_initializer", "trainable")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	if !o.given["activation_fn"] {
		o.activation = tf.Relu
	}
	if !o.given["biases_initializer"] {
		o.biasInit = tf.ZerosInitializer()
	} else {
		o.useBias = o.biasInit != nil
	}
	return layer(fn, inputs, numOutputs, o, "fully_connected", "weights", "biases")
}

// Dense adds a densely connected layer (tf.layers.dense(inputs, units)):
// activation(inputs · kernel + bias), with kernel [in, units]
// (glorot-uniform) and bias [units] (zeros) created in the variable scope
// "dense" (uniquified) or Name. Without Activation the layer is linear, as
// in TF. inputs has rank 2 or more with its last dimension known; the layer
// maps the last dimension and keeps the others.
//
// Options: Activation, Name, KernelInitializer, BiasInitializer, UseBias,
// Trainable.
func Dense(inputs *tf.Tensor, units int, opts ...Option) *tf.Tensor {
	fn := "layers.Dense at " + callsite.User()
	o, err := parse(fn, opts, "activation", "name", "kernel_initializer", "bias_initializer", "use_bias", "trainable")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	if o.biasInit == nil {
		o.biasInit = tf.ZerosInitializer()
	}
	return layer(fn, inputs, units, o, "dense", "kernel", "bias")
}

func layer(fn string, x *tf.Tensor, n int, o *options, defScope, wName, bName string) *tf.Tensor {
	if err := checkInputs(fn, x, n); err != nil {
		return tfimpl.ErrTensor(err)
	}
	scope := o.scope
	if scope == "" {
		scope = tf.UniqueVariableScope(defScope)
	}
	closeScope := tf.VariableScope(scope, tf.ReuseInherit)
	defer closeScope()
	w, b, err := layerVariables(x, n, o, wName, bName)
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	return applyLayer(x, w, b, o)
}

// checkInputs checks a layer's inputs and number of outputs.
func checkInputs(fn string, x *tf.Tensor, n int) error {
	if x == nil {
		return errors.Errorf("%s: inputs is a nil *tf.Tensor", fn)
	}
	if x.Err() != nil {
		return x.Err()
	}
	s := x.Shape()
	if s == nil || len(s) < 2 || s[len(s)-1] < 0 {
		return errors.Errorf("%s: inputs %q have shape %v; they need rank 2 or more with the last dimension known", fn, x.Name(), s)
	}
	if !x.DType().IsFloating() {
		return errors.Errorf("%s: inputs %q have dtype %s, want float32 or float64", fn, x.Name(), x.DType())
	}
	if n <= 0 {
		return errors.Errorf("%s: the number of outputs must be positive, got %d", fn, n)
	}
	return nil
}

// layerVariables makes a layer's weights (and biases when o.useBias) for
// inputs like x in the current variable scope.
func layerVariables(x *tf.Tensor, n int, o *options, wName, bName string) (w, b *tf.Variable, err error) {
	s := x.Shape()
	in := s[len(s)-1]
	kinit := o.kernelInit
	if kinit == nil {
		kinit = tf.GlorotUniformInitializer()
	}
	w = tf.GetVariable(wName, tf.Shape{in, n}, tf.WithDType(x.DType()), tf.WithInitializer(kinit), tf.Trainable(o.trainable))
	if w.Err() != nil {
		return nil, nil, w.Err()
	}
	if o.useBias {
		b = tf.GetVariable(bName, tf.Shape{n}, tf.WithDType(x.DType()), tf.WithInitializer(o.biasInit), tf.Trainable(o.trainable))
		if b.Err() != nil {
			return nil, nil, b.Err()
		}
	}
	return w, b, nil
}

// applyLayer computes activation(x · w + b) (b nil: no bias).
func applyLayer(x *tf.Tensor, w, b *tf.Variable, o *options) *tf.Tensor {
	var y *tf.Tensor
	if len(x.Shape()) == 2 {
		y = tf.MatMul(x, w, tf.Name("MatMul"))
	} else {
		y = tensordot(x, w, false)
	}
	if b != nil {
		y = tf.Add(y, b, tf.Name("BiasAdd"))
	}
	if o.activation != nil {
		y = o.activation(y)
	}
	return y
}

// ---- the product along the last dimension, for inputs of rank > 2 ----

// tensordotDef multiplies x [..., k] by w [k, n] (or w [n, k] transposed,
// attribute transpose_b) giving [..., n].
var tensordotDef = &tf.OpDef{
	Type: "Tensordot",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		x, w := in[0], in[1]
		if x.DType != w.DType || !x.DType.IsFloating() {
			return nil, errors.Errorf("operands have dtypes %s and %s; want one floating type", x.DType, w.DType)
		}
		if x.Shape == nil || w.Shape == nil || len(w.Shape) != 2 || len(x.Shape) < 1 {
			return nil, errors.Errorf("want x of rank >= 1 and a matrix w, got shapes %v and %v", x.Shape, w.Shape)
		}
		k, n := w.Shape[0], w.Shape[1]
		if a.Bool("transpose_b") {
			k, n = n, k
		}
		if xk := x.Shape[len(x.Shape)-1]; xk >= 0 && k >= 0 && xk != k {
			return nil, errors.Errorf("last dimension %d of x does not match %d rows of w", xk, k)
		}
		out := append(x.Shape[:len(x.Shape)-1].Clone(), n)
		return []tf.Spec{{DType: x.DType, Shape: out}}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		x, w := c.In[0], c.In[1]
		tb := c.Attrs().Bool("transpose_b")
		ws := w.Shape()
		k, n := ws[0], ws[1]
		tB := blas.NoTrans
		if tb {
			k, n = n, k
			tB = blas.Trans
		}
		m := 1
		for _, d := range x.Shape() {
			m *= d
		}
		m /= max(k, 1)
		out := c.Alloc(0)
		return gemm(blas.NoTrans, tB, m, n, k, x, k, w, ws[1], out)
	},
}

// tensordotGradWDef computes A^T B for a [..., k] and b [..., n]: [k, n].
var tensordotGradWDef = &tf.OpDef{
	Type: "TensordotGradW",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		x, y := in[0], in[1]
		return []tf.Spec{{DType: x.DType, Shape: tf.Shape{x.Shape[len(x.Shape)-1], y.Shape[len(y.Shape)-1]}}}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		a, b := c.In[0], c.In[1]
		as, bs := a.Shape(), b.Shape()
		k, n := as[len(as)-1], bs[len(bs)-1]
		m := 1
		for _, d := range as[:len(as)-1] {
			m *= d
		}
		out := c.Alloc(0)
		return gemm(blas.Trans, blas.NoTrans, k, n, m, a, k, b, n, out)
	},
}

// gemm computes out = op(a) op(b) (row-major, out is m×n).
func gemm(tA, tB blas.Transpose, m, n, k int, a *tensor.Dense, lda int, b *tensor.Dense, ldb int, out *tensor.Dense) error {
	return iblas.Gemm(tA, tB, m, n, k, tfimpl.Backing(a), lda, tfimpl.Backing(b), ldb, tfimpl.Backing(out))
}

func tensordot(x, w any, transposeB bool) *tf.Tensor {
	return tf.AddOp(tf.OpSpec{Def: tensordotDef, Name: "Tensordot", Inputs: []any{x, w}, Attrs: tf.Attrs{"transpose_b": transposeB}}).Output(0)
}

func tensordotGradW(a, b *tf.Tensor) *tf.Tensor {
	return tf.AddOp(tf.OpSpec{Def: tensordotGradWDef, Inputs: []any{a, b}}).Output(0)
}

func init() {
	tensordotDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		x, w, g := op.Inputs()[0], op.Inputs()[1], dy[0]
		if op.Attrs().Bool("transpose_b") {
			return []*tf.Tensor{tensordot(g, w, false), tensordotGradW(g, x)}
		}
		return []*tf.Tensor{tensordot(g, w, true), tensordotGradW(x, g)}
	}
	tensordotGradWDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		a, b, g := op.Inputs()[0], op.Inputs()[1], dy[0]
		return []*tf.Tensor{tensordot(b, g, true), tensordot(a, g, false)}
	}
}
