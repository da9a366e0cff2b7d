package kernels

// Reverse writes x of shape s into out (same shape, same element type)
// with the axes i where rev[i] is true reversed (TF's ReverseV2). The axes
// after the last reversed one move as contiguous blocks.
func Reverse(out, x any, s []int, rev []bool) {
	k := len(s)
	for k > 0 && !rev[k-1] {
		k--
	}
	reverseBlocks(out, x, s, k, func(pos []int) int {
		off, st := 0, 1
		for i := k - 1; i >= 0; i-- {
			p := pos[i]
			if rev[i] {
				p = s[i] - 1 - p
			}
			off += p * st
			st *= s[i]
		}
		return off
	})
}

// ReverseSequence writes x of shape s into out (same shape, same element
// type) with, for each index b of axis batchAxis, the first lens[b]
// elements along axis seqAxis reversed and the others copied (TF's
// ReverseSequence). lens holds s[batchAxis] values in [0, s[seqAxis]].
func ReverseSequence(out, x any, s []int, seqAxis, batchAxis int, lens []int) {
	k := max(seqAxis, batchAxis) + 1
	reverseBlocks(out, x, s, k, func(pos []int) int {
		off, st := 0, 1
		for i := k - 1; i >= 0; i-- {
			p := pos[i]
			if i == seqAxis {
				if n := lens[pos[batchAxis]]; p < n {
					p = n - 1 - p
				}
			}
			off += p * st
			st *= s[i]
		}
		return off
	})
}

// reverseBlocks copies x into out block by block: for each position pos of
// the first k axes of s (in row-major order), the block of the trailing
// axes starting at src(pos) blocks into x.
func reverseBlocks(out, x any, s []int, k int, src func(pos []int) int) {
	inner := Numel(s[k:])
	n := Numel(s[:k])
	if inner == 0 || n == 0 {
		return
	}
	pos := make([]int, k)
	for o := 0; o < n; o++ {
		BlockCopy(out, x, o*inner, src(pos)*inner, inner)
		for i := k - 1; i >= 0; i-- {
			pos[i]++
			if pos[i] < s[i] {
				break
			}
			pos[i] = 0
		}
	}
}
