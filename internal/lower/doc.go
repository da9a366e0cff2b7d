// Package lower compiles a gorgoflow graph, for the concrete shapes of one
// Run's feeds, into a Gorgonia ExprGraph run by a Gorgonia TapeMachine
// (Program), and loop bodies into Plans (plan.go) that loop kernels run
// once per step.
//
// Gorgonia is the engine of every program: each tf operation becomes one
// Gorgonia node whose Op (kernelOp, gorgonia.go) runs the operation's
// kernel; Gorgonia orders the nodes, keeps their values in its registers
// and hands each node its children's values as the arguments of Do, whose
// result is the node's value. A fed tensor is an input node bound with
// Let; a fetch is read from its node's value after the run.
//
// Measured against the former design (kernels read their inputs from a side
// map by tensor, a scalar trigger input for ops without inputs, pick nodes
// reading the side map, a new header per node and run), same machine,
// binaries alternated, load average 14-41 on 2 cores, so CPU time per op
// rather than wall time: W1's training step 8.1-8.2 ms CPU before, 8.4
// after; W7's 10.0-10.5 before, 9.3-9.9 after (equal within the noise);
// bytes allocated per step W1 58.5 KB -> 49.0 KB (667 -> 550 objects), W7
// 54.2 KB -> 44.5 KB (1225 -> 1105); session.BenchmarkRunOverhead (a
// small graph) 12.4 KB -> 5.4 KB per Run (255 -> 162 objects).
//
// # Gorgonia limitations worked around, and why
//
// Gorgonia v0.9.18, as the TapeMachine and compiler use it:
//
//  1. Compile refuses a graph without input nodes. Nodes of ops without
//     inputs (constants, variables, random ops) are made without children
//     (G.NewUniqueNode), so only a program with no feeds needs anything:
//     one unused scalar input node, bound once at compile time.
//  2. A node has one value and no tuple type exists, while tf ops may have
//     several outputs: such an op's node returns a tupleValue of its
//     outputs (Gorgonia sees a scalar stand-in type) and one pickOp node
//     per output read takes its value out of the tuple, as Do's argument.
//  3. The TapeMachine writes into every value a node returns (setEngine
//     sets the tensor's engine), and unbinding a node gives its value to
//     tensor's pool, which wipes the header (tensor.ReturnTensor). A value
//     may be shared with other programs running at the same time (a
//     variable's value, a constant, a feed): a node returns a buffer the
//     program owns as is, and anything else through a tensor header of
//     the program's own (kernelOp.value), made once per value and kept
//     while the value stays (a variable updated in place keeps its). The
//     program never unbinds nodes: they keep their last run's values (the
//     pool's buffers, mostly) until the next run or the program's end.
//  4. Register allocation gives every node a register of its own, shares
//     one only to overwrite an input in place (Op.OverwritesInput), and
//     Reset clears every register, so Gorgonia keeps no buffer from one
//     run to the next: output buffers come from the program's pool
//     (runenv.Run.Pool, RunCopy), given back after each run, and the
//     session bounds the bytes its programs' pools keep.
//  5. Gorgonia has no control edges: an op's control inputs are extra
//     children whose values Do ignores, and a fed placeholder's control
//     edges are dropped, as TF moves them to the fed value.
//  6. Gorgonia's dataflow analysis merges nodes whose ops hash alike
//     (common subexpressions): an adapter's hash holds its op's address,
//     so no two tf ops merge (stateful ones must not).
//  7. The TapeMachine has a finalizer (a no-op without CUDA), and its
//     instructions reach the kernelOps, which reach the Program holding
//     the machine; Go never collects a cycle holding a finalizer, so
//     Compile clears it, and a dropped program is ordinary garbage.
//  8. Gorgonia reports some failures by panicking: Compile and Run recover
//     them and return errors.
//  9. Each TapeMachine run costs a goroutine and two channels (RunAll) and
//     a slice of arguments per node: loop bodies, run T times per Run, are
//     Plans, lists of kernels called in order (plan.go has the
//     measurement).
package lower
