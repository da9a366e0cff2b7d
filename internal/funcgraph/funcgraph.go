// Package funcgraph holds what a function graph is made of: a loop body
// built once (a cell's step) and run many times by its loop's kernel, as
// TF's while_loop bodies. Package tf builds and rewrites it; the engine
// names it tfimpl.Func. Its types are generic over tf's graph and tensor
// types because tf cannot import a package that imports tf; they are
// instantiated once, with *tf.Graph and *tf.Tensor.
package funcgraph

// Func is a function graph. Its graph is a child of the graph it is built
// in: ops inside it may use tensors of the enclosing graphs, which become
// captured inputs.
type Func[G any, T comparable] struct {
	Graph    G   // the body graph
	Args     []T // the body's explicit inputs (placeholders)
	Outputs  []T // what the body computes
	Captured []T // tensors of the enclosing graph the body uses, fed after Args
	Params   []T // the body placeholders standing for Captured, same order
	// Hoisted and Deferred are the products a loop computes for all steps
	// at once, set by tfimpl.HoistProducts.
	Hoisted  []Hoisted[T]
	Deferred []Deferred
	// Captures maps each captured outer tensor to its body placeholder.
	Captures map[T]T
}

// Hoisted is a product of a loop body's argument by a block of rows of a
// captured matrix (a loop invariant, such as a cell's kernel), which the
// loop running the body computes for all its steps in one product before
// it runs them (as cuDNN and the fused loops compute every step's input
// projection at once), feeding each step its rows as the argument Arg.
//
// A Zero entry hoists no product: its Arg is zeros, added to a product of
// the state by a captured matrix (a user cell's MatMul(h, W_h)) so that
// the loop keeps, per step, the gradient of that product's output, which
// a Deferred block of the matrix's gradient multiplies after the reverse
// pass. X, Row and Rows mean nothing for it.
type Hoisted[T any] struct {
	Arg       T   // the body argument standing for the step's product, [batch, units]
	X         int // the index in Args of the argument multiplied
	W         int // the index in Params (and Captured) of the matrix
	Row, Rows int // the block of the matrix's rows multiplied
	Zero      bool
}

// Deferred is a block of rows of a captured matrix's gradient that a loop
// computes after its reverse pass, as one product over all its steps,
// instead of in each step's gradient: the rows [Row, Row+Rows) of
// Params[W], which a step multiplies by its argument Args[A] in a product
// whose output gradient is the gradient of Hoisted[Of].Arg. The block is
// the sum over the steps of A_tᵀ·dHoisted_t, the step gradient leaves it
// out (zero).
type Deferred struct {
	A         int // the index in Args of the argument multiplied
	W         int // the index in Params of the matrix
	Row, Rows int // the block of the matrix's rows
	Of        int // the index in Hoisted of the product's other part
}

// Grad is the vector-Jacobian product of a Func's outputs, built in the
// Func's own body graph from the ops the body already holds (as TF builds
// a while loop's gradient from its body): the forward ops are never built
// again, so a body's random ops, variable scopes and variables exist once.
type Grad[T any] struct {
	// DYs are new arguments of the body, one per output of the Func: the
	// gradients flowing into the outputs.
	DYs []T
	// Params lists the indices into the Func's Params (and Captured) of
	// the floating tensors differentiated.
	Params []int
	// Grads are the gradients of the Func's Args, then of its Hoisted
	// arguments, then of the Params listed, zeros where none flows.
	Grads []T
	// Zero tells, per Grads, where no gradient flows (Grads holds zeros),
	// which a loop need neither compute nor add.
	Zero []bool
	// Saved are the forward tensors the gradient ops read, other than
	// arguments, params and constants: what a loop keeps of each step for
	// its gradient (TF's while-loop stacks).
	Saved []T
}
