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
// The loops tf's own kernels run (broadcasting, casts, copies, gathers,
// reductions) live in internal/kernels; this package builds graphs and
// checks what users give.
//
// # Custom ops
//
// New ops are defined with OpDef (shape inference, gradient, kernel) and
// built with AddOp, as TF's custom ops (REGISTER_OP with an OpKernel, and
// tf.custom_gradient for the gradient); packages nn, train and contrib/rnn
// define theirs so. That API is all in custom_op.go: OpDef, OpSpec, AddOp,
// Attrs and KernelContext, whose kernel sees its op, its inputs' values and
// its outputs' specs, and allocates outputs with Alloc.
//
// # What is not here
//
// Package tf exports what a TF 1.x user types and the custom-op API above,
// nothing the engine alone needs. The engine's side of tf (option parsing
// for packages beside tf, error tensors and call sites for their
// constructors, conversions of dense values, a kernel's session, buffers and
// per-program state, fetch resolution, shape inference at Run time) is in
// internal/tfimpl. Go lets tf show it to tfimpl only through exported
// names, and tf cannot import tfimpl (tfimpl imports tf), so tf leaves a
// value of an unexported type with exported methods in
// internal/tfimpl/hook at initialization, and tfimpl asserts it to an
// interface naming those methods with tf's types (the pattern of
// google.golang.org/protobuf's protoimpl). Functions that need nothing of
// tf's unexported state are plain functions in internal packages
// (internal/kernels, internal/callsite, internal/kwargs, internal/blas).
//
// Files are named after TF's Python modules: array_ops.go (and
// array_ops_manip.go for the ops that move elements: Transpose, Stack,
// Concat, Slice, Gather, ...; array_ops_reverse.go for Reverse and
// ReverseSequence; array_ops_onehot.go: OneHot, SequenceMask;
// array_ops_range.go: Range, LinSpace, Eye; array_ops_tile.go: Tile, Pad,
// BroadcastTo; array_ops_nd.go: GatherNd, ScatterNd; array_ops_mask.go:
// BooleanMask; array_ops_fold.go: shape-deciding arguments computed from
// shapes), math_ops.go (and
// math_ops_reduce.go, matmul.go; matmul_batch.go for batches of matrices;
// math_ops_cumulative.go for cumsum and cumprod; math_ops_unary.go for
// rounding, trigonometric, hyperbolic and error functions and the float
// class tests; math_ops_binary.go for atan2, squared_difference, the floor
// and truncating divisions, truediv and the logical ops;
// math_ops_reduce_more.go for reduce_prod, reduce_all, reduce_any,
// reduce_logsumexp, count_nonzero, reduce_variance, reduce_std and
// stop_gradient), nn_ops.go, random_ops.go, init_ops.go, constant_op.go,
// control_flow_ops.go, clip_ops.go, gradients.go.
package tf
