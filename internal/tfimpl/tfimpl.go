// Package tfimpl is the engine's side of package tf: what gorgoflow's own
// packages (nn, train, layers, contrib, seq2seq, summary, session,
// internal/lower) need of tf that a TF 1.x user never types. Package tf
// exports the graph API and one public custom-op API (OpDef, OpSpec, AddOp,
// KernelContext, Attrs, in tf/custom_op.go); everything else the engine
// needs lives here, so that tf's documentation is the user's.
//
// Where a function needs tf's unexported state (a kernel's run, an option
// set, a variable's checks), tf hands it over through package hook; the
// rest are plain functions of tf's exported types. Ops defined beside tf
// read their options with ParseArgs, name the user's call with CallerSite
// and return ErrTensor for bad arguments, as tf's own constructors do.
package tfimpl

import (
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/internal/kernels"
	"github.com/gorgoflow/gorgoflow/internal/runenv"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl/hook"
	"github.com/gorgoflow/gorgoflow/tf"
)

// engine is the method set of package tf's hidden engine value.
type engine interface {
	KernelRun(c *tf.KernelContext) *runenv.Run
	ErrTensor(err error) *tf.Tensor
	ConvertToTensor(v any, d tf.DType) (*tensor.Dense, error)
	Float64s(d *tensor.Dense) []float64
	FormatDense(d *tensor.Dense) string
	DataTypeProto(d tf.DType) (int32, string)
	NewDense(s tf.Spec) *tensor.Dense
	SpecOf(d *tensor.Dense) tf.Spec
	IsArg(t *tf.Tensor) bool
	MissingFeedMessage(t *tf.Tensor) string
	Def(op *tf.Operation) *tf.OpDef
	OpID(op *tf.Operation) int
	OpSite(op *tf.Operation) string
	CheckValue(v *tf.Variable, value any) (*tensor.Dense, error)
	InferSpecs(def *tf.OpDef, attrs tf.Attrs, in []tf.Spec) ([]tf.Spec, error)
	ResolveFetch(f tf.Fetch) (*tf.Tensor, *tf.Operation, error)
	ParseArgs(fn string, opts []tf.Option, allowed []string) (map[string]bool, func(key string) any, error)
	NewFunc(outer *tf.Graph, name string, args []tf.Spec, build func(args []*tf.Tensor) []*tf.Tensor) (*Func, error)
	FuncGradient(f *Func) (*FuncGrad, error)
	HoistProducts(f *Func, x int) error
	FuncOf(g *tf.Graph) *Func
	Outer(g *tf.Graph) *tf.Graph
	IsPlaceholder(t *tf.Tensor) bool
}

// tfe is package tf's engine side; tf is initialized before this package.
var tfe = hook.Engine.(engine)

// Run returns the engine's part of a kernel's context: the session's
// variables (Env), planned buffers (Pool), the outputs the program reads
// (Want), per-program state (Local) and the run's number (RunID). The
// engine fills it before calling the kernel; kernels read it.
func Run(c *tf.KernelContext) *runenv.Run { return tfe.KernelRun(c) }

// Env returns the session running c's kernel: variables and per-op state.
func Env(c *tf.KernelContext) runenv.Env { return tfe.KernelRun(c).Env }

// ErrTensor returns a tensor that carries err: ops built on it fail with
// err, and running it returns err. Op constructors outside tf return it
// when their arguments are wrong.
func ErrTensor(err error) *tf.Tensor { return tfe.ErrTensor(err) }

// CallerSite returns the file:line of the innermost caller outside
// gorgoflow's library packages: the user's call that is building an op.
// Constructors put it in their errors.
func CallerSite() string { return callsite.User() }

// ConvertToTensor converts a Go value to a dense tensor as
// tf.convert_to_tensor does (see tf's package doc); dtype Invalid lets the
// value choose.
func ConvertToTensor(v any, dtype tf.DType) (*tensor.Dense, error) {
	return tfe.ConvertToTensor(v, dtype)
}

// Float64s returns the elements of a numeric dense tensor as float64s, in
// row-major order.
func Float64s(d *tensor.Dense) []float64 { return tfe.Float64s(d) }

// FormatDense formats d as numpy's str(array) does.
func FormatDense(d *tensor.Dense) string { return tfe.FormatDense(d) }

// DataTypeProto returns d's DataType enum value and name in TF's
// types.proto (1, "DT_FLOAT" for Float32).
func DataTypeProto(d tf.DType) (int32, string) { return tfe.DataTypeProto(d) }

// NewDense returns a zeroed dense tensor of a concrete spec.
func NewDense(s tf.Spec) *tensor.Dense { return tfe.NewDense(s) }

// SpecOf returns the spec of a dense tensor.
func SpecOf(d *tensor.Dense) tf.Spec { return tfe.SpecOf(d) }

// Backing returns the backing slice of d ([]float32, []float64, []int32,
// []int64 or []bool), scalars included.
func Backing(d *tensor.Dense) any { return kernels.Backing(d) }

// IsArg reports whether t is a loop body's argument or captured tensor.
func IsArg(t *tf.Tensor) bool { return tfe.IsArg(t) }

// MissingFeedMessage is the error text for a placeholder run without a
// feed, worded as TF's.
func MissingFeedMessage(t *tf.Tensor) string { return tfe.MissingFeedMessage(t) }

// Def returns op's definition.
func Def(op *tf.Operation) *tf.OpDef { return tfe.Def(op) }

// OpID returns op's creation index in its graph: an op's inputs and
// control inputs come before it.
func OpID(op *tf.Operation) int { return tfe.OpID(op) }

// Site returns the file:line of the user's call that built op, for
// run-time errors ("built at main.go:16").
func Site(op *tf.Operation) string { return tfe.OpSite(op) }

// CheckValue converts value for v and checks its shape, for loading.
func CheckValue(v *tf.Variable, value any) (*tensor.Dense, error) { return tfe.CheckValue(v, value) }

// InferSpecs runs def's shape inference on concrete input specs; sessions
// call it when they lower a graph for the shapes of a Run's feeds.
func InferSpecs(def *tf.OpDef, attrs tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	return tfe.InferSpecs(def, attrs, in)
}

// ResolveFetch splits a Fetch into the tensor whose value is wanted (nil
// for an operation) and the operation to run.
func ResolveFetch(f tf.Fetch) (*tf.Tensor, *tf.Operation, error) { return tfe.ResolveFetch(f) }

// IsPlaceholder reports whether t is the output of a placeholder.
func IsPlaceholder(t *tf.Tensor) bool { return tfe.IsPlaceholder(t) }
