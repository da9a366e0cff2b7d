// Package runenv defines what a running kernel may ask of the session that
// runs it: variables' values and state kept per op across runs. Kernels
// find an Env in the Run behind their tf.KernelContext (tfimpl.Env); the
// session implements it. It is
// internal because it is the engine's plumbing, not something users call.
//
// Kernels that change variables in place find varstore.Updater on their
// Env by a type assertion; package varstore states when a change may be
// made in place.
package runenv

import "gorgonia.org/tensor"

// Env is what a running kernel may ask of the session that runs it.
type Env interface {
	// ReadVariable returns v's current value, or an error naming v when it
	// has not been initialized. The value is the session's own: a later
	// run's optimizer may change it in place; clone it to keep it.
	ReadVariable(v Variable) (*tensor.Dense, error)
	// AssignVariable replaces v's value by value (which the session owns
	// from then on).
	AssignVariable(v Variable, value *tensor.Dense) error
	// OpState returns the state the session keeps for op (a
	// *tf.Operation) across runs and programs (a random generator, an
	// optimizer's scratch), made by create at first use.
	OpState(op any, create func() any) any
}

// Variable is a graph variable as kernels name it: a *tf.Variable.
type Variable interface{ Name() string }
