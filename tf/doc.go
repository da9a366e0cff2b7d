// Package tf is gorgoflow's core: TF 1.x's graph API in Go. It holds what
// Python's top-level tf namespace does: dtypes, shapes with unknown (None)
// dimensions, graphs and name scopes, variables and initializers, random
// seeds, math and array ops, and tf.gradients.
//
// # Building
//
// Op constructors mirror TF's names (tf.matmul is MatMul, tf.reduce_mean is
// ReduceMean). Their tensor arguments have type any: a *Tensor, a *Variable,
// or a Go number, bool or nested slice, converted as tf.convert_to_tensor
// does, taking the dtype of the op's other tensor operand (so tf.Mul(x, 0.5)
// works on float32 x). Python's keyword arguments are Options (Name, Axis,
// KeepDims, Seed, TransposeA, ...); an option a function does not take is an
// error, never silently ignored.
//
// # Errors
//
// Constructors never panic and never return nil. A constructor that cannot
// build its op (shapes that do not fit, an input from another graph) returns
// a Tensor carrying the error; ops built on it carry the same error, and
// Session.Run returns it. The error names the op, its inputs' dtypes and
// shapes, and the file:line of the user code that built it. Graph.Err
// returns a graph's first error, to check once after building, like
// bufio.Scanner.Err.
//
// # Running
//
// Graphs run in a session (package session), which compiles the part of the
// graph a Run needs for the concrete shapes of its feeds, through Gorgonia.
// New ops are defined with OpDef (shape inference, gradient, kernel) and
// built with AddOp; packages nn, train and contrib/rnn define theirs so.
// The loops tf's own kernels run (broadcasting, casts, copies, gathers,
// reductions) live in internal/kernels; this package builds graphs and
// checks what users give.
//
// Files are named after TF's Python modules: array_ops.go (and
// array_ops_manip.go for the ops that move elements: Transpose, Stack,
// Concat, Slice, Gather, ...; array_ops_onehot.go: OneHot, SequenceMask;
// array_ops_range.go: Range, LinSpace, Eye; array_ops_tile.go: Tile, Pad,
// BroadcastTo, StopGradient), math_ops.go (and math_ops_reduce.go,
// matmul.go), nn_ops.go, random_ops.go, init_ops.go, constant_op.go,
// control_flow_ops.go, clip_ops.go, gradients.go.
package tf

import "github.com/gorgoflow/gorgoflow/internal/blas"

// BLASName says which matrix-product library kernels use: OpenBLAS when the
// machine has it (loaded at run time, no cgo needed), else gorgoflow's own
// float32 product in Go and Go assembly (gonum's on CPUs without AVX2+FMA).
// On CPUs with AVX-512 float32 products use gorgoflow's own AVX-512 kernel
// unless the OpenBLAS found runs AVX-512 kernels itself. Set
// GORGOFLOW_BLAS=go to force gorgoflow's Go path, GORGOFLOW_BLAS=gonum to
// force gonum's, GORGOFLOW_BLAS=openblas to force OpenBLAS's.
func BLASName() string { return blas.Name() }
