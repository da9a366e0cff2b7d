package tfimpl

import (
	"github.com/gorgoflow/gorgoflow/internal/funcgraph"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Func is a function graph: a loop body built once (a cell's step) and run
// many times by its loop's kernel (compiled by internal/lower as a Plan),
// as TF's while_loop bodies. See package funcgraph for its fields.
type Func = funcgraph.Func[*tf.Graph, *tf.Tensor]

// FuncGrad is the vector-Jacobian product of a Func's outputs, built in
// the Func's own body graph (see funcgraph.Grad).
type FuncGrad = funcgraph.Grad[*tf.Tensor]

// NewFunc builds a function graph inside outer: it makes one placeholder
// per argument spec, calls build with them (with the body graph as the
// default graph) and records what build returns as the outputs. Variables
// made by build (a cell's weights) go to the outermost graph, as TF lifts
// them out of while loops.
func NewFunc(outer *tf.Graph, name string, args []tf.Spec, build func(args []*tf.Tensor) []*tf.Tensor) (*Func, error) {
	return tfe.NewFunc(outer, name, args, build)
}

// Gradient builds the vector-Jacobian product of f's outputs with respect
// to its arguments and floating captured tensors (see FuncGrad).
func Gradient(f *Func) (*FuncGrad, error) { return tfe.FuncGradient(f) }

// HoistProducts rewrites f's body so that the products of argument
// Args[x] (the step's input of a recurrent loop) by a captured matrix are
// inputs of the body instead (Hoisted): a MatMul(x_t, W) becomes the
// argument, a ConcatMatMul of [x_t, h, ...] by W (a cell's concat([x,
// h])·W) the product of the other parts added to it. The captured
// matrix's gradient rows for the other parts that are arguments themselves
// (the state) are left to the loop (Deferred), as is the whole gradient of
// a matrix multiplied by the state in a MatMul(h, W) of its own (a user
// cell's x·W_x + h·W_h). It must be called before Gradient, and before the
// body runs.
func HoistProducts(f *Func, x int) error { return tfe.HoistProducts(f, x) }

// FuncOf returns the function whose body g is, or nil when g is not a loop
// body. A build function passed to NewFunc finds its Func so
// (FuncOf(tf.DefaultGraph())).
func FuncOf(g *tf.Graph) *Func { return tfe.FuncOf(g) }

// Outer returns the graph a loop body's graph was built in (the graph
// given to NewFunc), or nil when g is not a loop body.
func Outer(g *tf.Graph) *tf.Graph { return tfe.Outer(g) }
