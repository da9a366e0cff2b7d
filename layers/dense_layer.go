package layers

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// DenseLayer is TF's layer object tf.layers.Dense(units, ...): a densely
// connected layer that makes its variables on its first Apply and uses the
// same ones on every later Apply, wherever that is called from (TF's
// layer.__call__). tf.contrib.seq2seq's BasicDecoder takes one as its
// output layer, applied at every decoding step.
//
// Its variables are "<scope>/<name>/kernel" [in, units] (glorot-uniform)
// and "<scope>/<name>/bias" [units] (zeros), where scope is the variable
// scope of the first Apply and name is Name or "dense" uniquified then, as
// the function Dense names them.
type DenseLayer struct {
	units        int
	o            *options
	err          error
	kernel, bias *tf.Variable
	depth        int
	dtype        tf.DType
	name         string
}

// NewDense returns a DenseLayer of units outputs (tf.layers.Dense(units)).
// A bad argument is reported, with the line of this call, by Apply.
//
// Options: Activation, Name, KernelInitializer, BiasInitializer, UseBias,
// Trainable.
func NewDense(units int, opts ...Option) *DenseLayer {
	fn := "layers.NewDense at " + callsite.User()
	o, err := parse(fn, opts, "activation", "name", "kernel_initializer", "bias_initializer", "use_bias", "trainable")
	l := &DenseLayer{units: units, o: o, err: err}
	if err == nil && units <= 0 {
		l.err = errors.Errorf("%s: units must be positive, got %d", fn, units)
	}
	if err == nil && o.biasInit == nil {
		o.biasInit = tf.ZerosInitializer()
	}
	return l
}

// Units returns the number of outputs.
func (l *DenseLayer) Units() int { return l.units }

// Kernel returns the kernel [in, units], nil before the first Apply.
func (l *DenseLayer) Kernel() *tf.Variable { return l.kernel }

// Bias returns the bias [units], nil before the first Apply or with
// UseBias(false).
func (l *DenseLayer) Bias() *tf.Variable { return l.bias }

// Apply computes activation(inputs · kernel + bias) for inputs [..., in]
// (layer(inputs)), making the variables on the first call.
func (l *DenseLayer) Apply(inputs *tf.Tensor) *tf.Tensor {
	fn := "layers.DenseLayer.Apply at " + callsite.User()
	if l == nil {
		return tfimpl.ErrTensor(errors.Errorf("%s: the layer is nil", fn))
	}
	if l.err != nil {
		return tfimpl.ErrTensor(l.err)
	}
	if err := checkInputs(fn, inputs, l.units); err != nil {
		return tfimpl.ErrTensor(err)
	}
	s := inputs.Shape()
	if l.kernel == nil {
		l.name = l.o.scope
		if l.name == "" {
			l.name = tf.UniqueVariableScope("dense")
		}
		defer tf.VariableScope(l.name, tf.ReuseInherit)()
		w, b, err := layerVariables(inputs, l.units, l.o, "kernel", "bias")
		if err != nil {
			return tfimpl.ErrTensor(err)
		}
		l.kernel, l.bias, l.depth, l.dtype = w, b, s[len(s)-1], inputs.DType()
		return applyLayer(inputs, l.kernel, l.bias, l.o)
	}
	if s[len(s)-1] != l.depth || inputs.DType() != l.dtype {
		return tfimpl.ErrTensor(errors.Errorf("%s: inputs %q are %s %v; the layer was built for %s inputs of depth %d", fn, inputs.Name(), inputs.DType(), s, l.dtype, l.depth))
	}
	defer tf.NameScope(l.name)()
	return applyLayer(inputs, l.kernel, l.bias, l.o)
}
