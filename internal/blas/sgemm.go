package blas

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// This file is gorgoflow's own float32 matrix product, used when OpenBLAS
// is absent: a Goto/BLIS-style blocked sgemm. op(B) is packed kc×nc at a
// time into panels of nr columns, op(A) mc×kc at a time into panels of mr
// rows, and a micro-kernel computes one mr×nr tile of C from one panel of
// each, keeping the tile in registers over the whole kc depth. The
// micro-kernel is written in assembly for AVX2+FMA (kernel_amd64.s) and in
// Go for other CPUs (kernGo).

const (
	mr = 6  // rows of the micro-kernel's tile
	nr = 16 // columns of the micro-kernel's tile

	kcMax = 256  // depth of a packed block: an mr×kc A panel and a kc×nr B panel stay in L1
	mcMax = 192  // rows of a packed A block (mc×kc float32s stay in L2)
	ncMax = 3072 // columns of a packed B block
)

// parMinMNK is the size (m·n·k multiply-adds) from which a product is
// split over goroutines (outside Serial sections); smaller ones run on the
// calling goroutine. useGo
// sets it to OpenBLAS's cutoff (GORGOFLOW_BLAS_SMALL, default 8M): on a
// busy machine a 150×150×150 product is faster on one goroutine.
var parMinMNK int64 = 1 << 23

// goThreads caps the goroutines of one product (0: GOMAXPROCS); SetThreads
// sets it.
var goThreads atomic.Int32

// goKern is the micro-kernel of Sgemm's Go path, nil when Sgemm uses
// OpenBLAS or gonum.
var goKern *microKernel

// useGo selects the Go path for Sgemm: with the assembly kernel when the
// CPU has AVX2+FMA, else, when force is set, with the Go kernel (otherwise
// gonum stays in use).
func useGo(force bool) {
	parMinMNK = smallMNK
	switch {
	case haveAVX512:
		goKern, name = &kernAVX512, "gorgoflow Go sgemm (AVX-512), gonum dgemm"
	case haveAsmKernel:
		goKern, name = &kernAsm, "gorgoflow Go sgemm (AVX2+FMA), gonum dgemm"
	case force:
		goKern, name = &kernGo, "gorgoflow Go sgemm (generic Go kernel), gonum dgemm"
	}
}

// microKernel is a micro-kernel for Sgemm's Go path: tile computes the
// mr×nr tile of C at c[0] (row stride ldc) as alpha·Σ_p
// a[r·ars+p·aps]·b[p·bs+j] for p < k, plus beta·C when loadC; wide, when
// not nil, computes an mr×2nr tile from two panels of nr columns, the
// second boff elements after the first.
type microKernel struct {
	tile func(k int, a []float32, ars, aps int, b []float32, bs int, c []float32, ldc int, alpha, beta float32, loadC bool)
	wide func(k int, a []float32, ars, aps int, b []float32, bs, boff int, c []float32, ldc int, alpha, beta float32, loadC bool)
}

// The micro-kernels: plain Go, AVX2+FMA assembly, and AVX-512 assembly.
var (
	kernGo     = microKernel{tile: kernGoTile}
	kernAsm    = microKernel{tile: kernAsmTile}
	kernAVX512 = microKernel{tile: kernAVX512Tile, wide: kernAVX512Wide}
)

func kernAsmTile(k int, a []float32, ars, aps int, b []float32, bs int, c []float32, ldc int, alpha, beta float32, loadC bool) {
	_ = a[(mr-1)*ars+(k-1)*aps]
	_ = b[(k-1)*bs+nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	kern6x16(k, &a[0], ars, aps, &b[0], bs, &c[0], ldc, alpha, beta, loadC)
}

func kernAVX512Tile(k int, a []float32, ars, aps int, b []float32, bs int, c []float32, ldc int, alpha, beta float32, loadC bool) {
	_ = a[(mr-1)*ars+(k-1)*aps]
	_ = b[(k-1)*bs+nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	kern6x16z(k, &a[0], ars, aps, &b[0], bs, &c[0], ldc, alpha, beta, loadC)
}

func kernAVX512Wide(k int, a []float32, ars, aps int, b []float32, bs, boff int, c []float32, ldc int, alpha, beta float32, loadC bool) {
	_ = a[(mr-1)*ars+(k-1)*aps]
	_ = b[boff+(k-1)*bs+nr-1]
	_ = c[(mr-1)*ldc+2*nr-1]
	kern6x32z(k, &a[0], ars, aps, &b[0], bs, boff, &c[0], ldc, alpha, beta, loadC)
}

// kernGoTile is the micro-kernel in plain Go.
func kernGoTile(k int, a []float32, ars, aps int, b []float32, bs int, c []float32, ldc int, alpha, beta float32, loadC bool) {
	var acc [mr][nr]float32
	for p := 0; p < k; p++ {
		bp := (*[nr]float32)(b[p*bs : p*bs+nr])
		for r := range acc {
			av := a[r*ars+p*aps]
			row := &acc[r]
			for j, bv := range bp {
				row[j] += av * bv
			}
		}
	}
	for r := range acc {
		row := c[r*ldc : r*ldc+nr]
		for j, v := range acc[r] {
			if loadC {
				row[j] = alpha*v + beta*row[j]
			} else {
				row[j] = alpha * v
			}
		}
	}
}

// sgemmGo computes C = alpha·op(A)·op(B) + beta·C on row-major float32
// matrices, op(A) m×k, op(B) k×n, op(X) = Xᵀ when tX. When beta is 0, C is
// not read (NaNs in it are overwritten).
func sgemmGo(kern *microKernel, tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	if k <= 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	w := int(goThreads.Load())
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	if w > 1 && int64(m)*int64(n)*int64(k) >= parMinMNK && serial.Load() == 0 {
		sgemmPar(kern, w, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	sgemmSerial(kern, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sgemmPar splits C into w blocks of rows (when m ≥ n) or of columns and
// computes them on w goroutines, the caller's being one.
func sgemmPar(kern *microKernel, w int, tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	byRows := m >= n
	size, unit := n, nr
	if byRows {
		size, unit = m, mr
	}
	units := (size + unit - 1) / unit
	if w > units {
		w = units
	}
	if w <= 1 {
		sgemmSerial(kern, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	var wg sync.WaitGroup
	part := func(i int) {
		lo := units * i / w * unit
		hi := min(units*(i+1)/w*unit, size)
		if byRows {
			var as []float32
			if tA {
				as = a[lo:]
			} else {
				as = a[lo*lda:]
			}
			sgemmSerial(kern, tA, tB, hi-lo, n, k, alpha, as, lda, b, ldb, beta, c[lo*ldc:], ldc)
		} else {
			var bs []float32
			if tB {
				bs = b[lo*ldb:]
			} else {
				bs = b[lo:]
			}
			sgemmSerial(kern, tA, tB, m, hi-lo, k, alpha, a, lda, bs, ldb, beta, c[lo:], ldc)
		}
	}
	wg.Add(w - 1)
	for i := 1; i < w; i++ {
		go func() {
			defer wg.Done()
			part(i)
		}()
	}
	part(0)
	wg.Wait()
}

// buffers holds one goroutine's packing space.
type buffers struct {
	a, b []float32
	tile [mr * 2 * nr]float32
}

// freeBuffers keeps packing space between products. A sync.Pool would
// drop it at every garbage collection, and each product after one would
// allocate and zero megabytes again.
var freeBuffers = make(chan *buffers, 16)

// getBuffers returns packing space for mc×kc blocks of A and kc×nc blocks
// of B.
func getBuffers(mc, kc, nc int) *buffers {
	var buf *buffers
	select {
	case buf = <-freeBuffers:
	default:
		buf = new(buffers)
	}
	if na := mc * kc; len(buf.a) < na {
		buf.a = aligned(na)
	}
	if nb := kc * ((nc + nr - 1) / nr * nr); len(buf.b) < nb {
		buf.b = aligned(nb)
	}
	return buf
}

func putBuffers(buf *buffers) {
	select {
	case freeBuffers <- buf:
	default:
	}
}

// aligned returns n float32s starting on a 64-byte boundary.
func aligned(n int) []float32 {
	s := make([]float32, n+16)
	off := 0
	for uintptr(unsafe.Pointer(&s[off]))%64 != 0 {
		off++
	}
	return s[off : off+n : off+n]
}

// blocks splits size into the fewest pieces of at most max, of equal
// length rounded up to a multiple of unit.
func blocks(size, max, unit int) int {
	nb := (size + max - 1) / max
	bl := (size + nb - 1) / nb
	return (bl + unit - 1) / unit * unit
}

// directA and directB let the micro-kernel read full panels of op(A) and
// of op(B) (when B is not transposed) in place rather than packed.
var directA, directB = true, true

func sgemmSerial(kern *microKernel, tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	kc := blocks(k, kcMax, 1)
	mc := blocks(m, mcMax, mr)
	nc := blocks(n, ncMax, nr)
	buf := getBuffers(mc, kc, nc)
	defer putBuffers(buf)
	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			be, load := beta, beta != 0
			if pc > 0 {
				be, load = 1, true
			}
			dB := directB && !tB
			if dB {
				// Only the last, partial panel is packed.
				if q := nb / nr * nr; q < nb {
					packB(tB, kb, nb-q, b, ldb, pc, jc+q, buf.b[q*kb:])
				}
			} else {
				packB(tB, kb, nb, b, ldb, pc, jc, buf.b)
			}
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				if directA {
					if q := mb / mr * mr; q < mb {
						packA(tA, mb-q, kb, a, lda, ic+q, pc, buf.a[q*kb:])
					}
				} else {
					packA(tA, mb, kb, a, lda, ic, pc, buf.a)
				}
				for jr := 0; jr < nb; {
					w := nr // the columns of this tile: 2nr with the wide kernel
					if kern.wide != nil && jr+2*nr <= nb {
						w = 2 * nr
					}
					nn := min(w, nb-jr)
					bp, bs, boff := buf.b[jr*kb:jr*kb+w*kb], nr, nr*kb
					if dB && nn == w {
						bp, bs, boff = b[pc*ldb+jc+jr:], ldb, nr
					}
					for ir := 0; ir < mb; ir += mr {
						mm := min(mr, mb-ir)
						ap, ars, aps := buf.a[ir*kb:ir*kb+mr*kb], 1, mr
						if directA && mm == mr {
							if tA {
								ap, ars, aps = a[pc*lda+ic+ir:], 1, lda
							} else {
								ap, ars, aps = a[(ic+ir)*lda+pc:], lda, 1
							}
						}
						ci := (ic+ir)*ldc + jc + jr
						if mm == mr && nn == w {
							if w == nr {
								kern.tile(kb, ap, ars, aps, bp, bs, c[ci:], ldc, alpha, be, load)
							} else {
								kern.wide(kb, ap, ars, aps, bp, bs, boff, c[ci:], ldc, alpha, be, load)
							}
							continue
						}
						t := buf.tile[:mr*w]
						if w == nr {
							kern.tile(kb, ap, ars, aps, bp, bs, t, w, alpha, 0, false)
						} else {
							kern.wide(kb, ap, ars, aps, bp, bs, boff, t, w, alpha, 0, false)
						}
						for r := 0; r < mm; r++ {
							row := c[ci+r*ldc : ci+r*ldc+nn]
							tr := t[r*w : r*w+nn]
							if load {
								for j, v := range tr {
									row[j] = v + be*row[j]
								}
							} else {
								copy(row, tr)
							}
						}
					}
					jr += w
				}
			}
		}
	}
}

// packA copies the mb×kb block of op(A) at (i0, p0) into panels of mr rows:
// panel q holds op(A)[i0+q·mr+r][p0+p] at q·mr·kb + p·mr + r, rows past mb
// zero.
func packA(tA bool, mb, kb int, a []float32, lda, i0, p0 int, dst []float32) {
	for q := 0; q < mb; q += mr {
		d := dst[q*kb : q*kb+mr*kb]
		rows := min(mr, mb-q)
		if tA {
			// op(A)[i][p] = a[p·lda+i]: mr contiguous values per p.
			base := p0*lda + i0 + q
			if rows == mr {
				for p := 0; p < kb; p++ {
					s := a[base+p*lda : base+p*lda+mr]
					dp := d[p*mr : p*mr+mr]
					dp[0], dp[1], dp[2], dp[3], dp[4], dp[5] = s[0], s[1], s[2], s[3], s[4], s[5]
				}
				continue
			}
			for p := 0; p < kb; p++ {
				s := a[base+p*lda : base+p*lda+rows]
				dp := d[p*mr : p*mr+mr]
				copy(dp, s)
				clear(dp[rows:])
			}
			continue
		}
		// op(A)[i][p] = a[i·lda+p]: gather across rows.
		for r := 0; r < rows; r++ {
			s := a[(i0+q+r)*lda+p0 : (i0+q+r)*lda+p0+kb]
			for p, v := range s {
				d[p*mr+r] = v
			}
		}
		for r := rows; r < mr; r++ {
			for p := 0; p < kb; p++ {
				d[p*mr+r] = 0
			}
		}
	}
}

// packB copies the kb×nb block of op(B) at (p0, j0) into panels of nr
// columns: panel q holds op(B)[p0+p][j0+q·nr+j] at q·kb·nr + p·nr + j,
// columns past nb zero.
func packB(tB bool, kb, nb int, b []float32, ldb, p0, j0 int, dst []float32) {
	for q := 0; q < nb; q += nr {
		d := dst[q*kb : q*kb+nr*kb]
		cols := min(nr, nb-q)
		if !tB {
			// op(B)[p][j] = b[p·ldb+j]: nr contiguous values per p.
			base := p0*ldb + j0 + q
			if cols == nr {
				for p := 0; p < kb; p++ {
					*(*[nr]float32)(d[p*nr:]) = *(*[nr]float32)(b[base+p*ldb:])
				}
				continue
			}
			for p := 0; p < kb; p++ {
				dp := d[p*nr : p*nr+nr]
				copy(dp, b[base+p*ldb:base+p*ldb+cols])
				clear(dp[cols:])
			}
			continue
		}
		// op(B)[p][j] = b[j·ldb+p]: gather across rows of b.
		base := j0*ldb + q*ldb + p0
		if cols == nr {
			packBT16(kb, b[base:], ldb, d)
			continue
		}
		for j := 0; j < cols; j++ {
			s := b[base+j*ldb : base+j*ldb+kb]
			for p, v := range s {
				d[p*nr+j] = v
			}
		}
		for j := cols; j < nr; j++ {
			for p := 0; p < kb; p++ {
				d[p*nr+j] = 0
			}
		}
	}
}

// packBT16 transposes the 16×kb block of b (row stride ldb) into d, kb×16.
func packBT16(kb int, b []float32, ldb int, d []float32) {
	r0, r1, r2, r3 := b[0*ldb:][:kb], b[1*ldb:][:kb], b[2*ldb:][:kb], b[3*ldb:][:kb]
	r4, r5, r6, r7 := b[4*ldb:][:kb], b[5*ldb:][:kb], b[6*ldb:][:kb], b[7*ldb:][:kb]
	r8, r9, r10, r11 := b[8*ldb:][:kb], b[9*ldb:][:kb], b[10*ldb:][:kb], b[11*ldb:][:kb]
	r12, r13, r14, r15 := b[12*ldb:][:kb], b[13*ldb:][:kb], b[14*ldb:][:kb], b[15*ldb:][:kb]
	d = d[:kb*nr]
	for p := range r0 {
		o := (*[nr]float32)(d[p*nr:])
		o[0], o[1], o[2], o[3] = r0[p], r1[p], r2[p], r3[p]
		o[4], o[5], o[6], o[7] = r4[p], r5[p], r6[p], r7[p]
		o[8], o[9], o[10], o[11] = r8[p], r9[p], r10[p], r11[p]
		o[12], o[13], o[14], o[15] = r12[p], r13[p], r14[p], r15[p]
	}
}

// scaleC sets C to beta·C, to exact zeros when beta is 0 (BLAS: C is not
// read when beta is 0).
func scaleC[T float32 | float64](m, n int, beta T, c []T, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}
