package layers

import (
	"github.com/gorgoflow/gorgoflow/internal/kwargs"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Option is a keyword argument of a layer function (Python's
// activation_fn=, scope=, ...). Giving one a function does not take is an
// error, never silently ignored.
type Option struct {
	key   string
	apply func(*options)
}

type options struct {
	given      map[string]bool
	activation func(x any, opts ...tf.Option) *tf.Tensor
	scope      string
	kernelInit tf.Initializer
	biasInit   tf.Initializer
	useBias    bool
	trainable  bool
}

func parse(fn string, opts []Option, allowed ...string) (*options, error) {
	o := &options{given: map[string]bool{}, useBias: true, trainable: true}
	err := kwargs.Parse(fn, false, allowed, o.given, len(opts), func(i int) string { return opts[i].key }, func(i int) { opts[i].apply(o) })
	if err != nil {
		return nil, err
	}
	return o, nil
}

// ActivationFn sets FullyConnected's activation (activation_fn=, default
// ReLU); nil makes the layer linear.
func ActivationFn(fn func(x any, opts ...tf.Option) *tf.Tensor) Option {
	return Option{"activation_fn", func(o *options) { o.activation = fn }}
}

// Activation sets Dense's activation (activation=, default none: linear).
func Activation(fn func(x any, opts ...tf.Option) *tf.Tensor) Option {
	return Option{"activation", func(o *options) { o.activation = fn }}
}

// Scope sets FullyConnected's variable scope (scope=); without it the
// scope is "fully_connected", uniquified.
func Scope(name string) Option { return Option{"scope", func(o *options) { o.scope = name }} }

// Name sets Dense's variable scope (name=); without it the scope is
// "dense", uniquified.
func Name(name string) Option { return Option{"name", func(o *options) { o.scope = name }} }

// WeightsInitializer sets FullyConnected's weights initializer
// (weights_initializer=, default glorot-uniform).
func WeightsInitializer(init tf.Initializer) Option {
	return Option{"weights_initializer", func(o *options) { o.kernelInit = init }}
}

// BiasesInitializer sets FullyConnected's biases initializer
// (biases_initializer=, default zeros).
func BiasesInitializer(init tf.Initializer) Option {
	return Option{"biases_initializer", func(o *options) { o.biasInit = init }}
}

// KernelInitializer sets Dense's kernel initializer (kernel_initializer=,
// default glorot-uniform).
func KernelInitializer(init tf.Initializer) Option {
	return Option{"kernel_initializer", func(o *options) { o.kernelInit = init }}
}

// BiasInitializer sets Dense's bias initializer (bias_initializer=,
// default zeros).
func BiasInitializer(init tf.Initializer) Option {
	return Option{"bias_initializer", func(o *options) { o.biasInit = init }}
}

// UseBias sets whether Dense adds a bias (use_bias=, default true).
func UseBias(b bool) Option { return Option{"use_bias", func(o *options) { o.useBias = b }} }

// Trainable sets whether the layer's variables are trainable (trainable=,
// default true).
func Trainable(t bool) Option { return Option{"trainable", func(o *options) { o.trainable = t }} }
