package runenv

import "gorgonia.org/tensor"

// Run is what the engine gives a running kernel beyond its op and values
// (a tf.KernelContext's hidden part, reached through tfimpl.Run): the
// session's variables, the running program's buffers and per-program state.
type Run struct {
	// Env is the session running the kernel: variables and per-op state.
	Env Env
	// Pool, when set, gives output i a buffer of its spec that lives
	// between runs, zeroed when zero is true; kernels ask through
	// KernelContext.Alloc and AllocUninit.
	Pool func(i int, zero bool) *tensor.Dense
	// Want, when not nil, says which outputs the running program reads
	// (another op's input or a fetch); see KernelContext.Wanted.
	Want []bool
	// Local, when set, returns the state the running program keeps for
	// key across its runs (a loop's compiled body and its buffers), made
	// by create at first use. Runs of one program are serialized, so the
	// state needs no lock; it goes away with the program.
	Local func(key any, create func() any) any
	// RunID numbers the runs of the running program (it differs between
	// any two runs), for kernels that share state within one run.
	RunID uint64
}
