// Package loopexport describes an RNN loop op of package nn to the
// GraphDef writer of package tf, which writes it as TF's while loop: which
// inputs and outputs of the loop op (or of its gradient op) are which
// tensors of tf.nn.dynamic_rnn.
package loopexport

// Info describes one loop op or loop gradient op. Indices are into the
// op's inputs or outputs; -1 means absent.
type Info struct {
	// K is the number of state tensors; Seq tells whether sequence
	// lengths are input 1+K; TimeMajor whether x is [time, batch, depth].
	K         int
	Seq       bool
	TimeMajor bool

	// A forward op has x as input 0, the initial state as inputs 1..K,
	// the outputs as output 0 and the final state as outputs 1..K.
	// Saved is the output index of the first of the K tensors holding
	// every step's state ([time, batch, size]), -1 when the op has none.
	Saved int

	// A gradient op: Forward is the index of an input produced by its
	// forward op. DOutputs, DFinal (K) and DSaved (K) are the inputs
	// holding the gradients of the forward op's outputs, final state
	// and saved states. DX and DInit (K) are the outputs holding the
	// gradients of x and of the initial state; DCaptured has, for each
	// tensor the loop body captures (tfimpl.Func.Captured), the output
	// holding its gradient.
	Forward   int
	DOutputs  int
	DFinal    []int
	DSaved    []int
	DX        int
	DInit     []int
	DCaptured []int
}
