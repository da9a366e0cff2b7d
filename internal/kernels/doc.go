// Package kernels holds the slice-level loops behind tf's ops: elementwise
// functions with numpy broadcasting, casts, copies of blocks and regions,
// transposes, gathers and scatter-adds, reductions, arg-extremes and random
// fills.
//
// The rules every function here keeps:
//
//   - Inputs are never modified. Outputs are slices the caller allocated,
//     of the length their shape implies; a function writes every element of
//     its output unless its doc says it adds into it (ScatterAdd, SumTo,
//     RegionCopy into a larger tensor), in which case the caller zeroes it.
//   - A tensor's data is its row-major backing slice ([]float32, []float64,
//     []int32, []int64 or []bool, see Backing), passed as any where a function
//     serves every dtype, or as a typed slice to the generic functions.
//   - Shapes are []int of known dimensions; strides are in elements.
//   - Nothing here allocates an output, reads a graph or reports a user's
//     error: package tf checks what users give and calls these loops.
package kernels
