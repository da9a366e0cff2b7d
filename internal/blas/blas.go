// Package blas chooses the matrix-product routine gorgoflow's kernels use:
// OpenBLAS's cblas_sgemm/cblas_dgemm when the machine has the library
// (loaded at run time with purego, so no cgo is needed and one binary serves
// machines with and without it), else gorgoflow's own float32 product in
// Go and Go assembly (AVX2+FMA; sgemm.go) with gonum's Dgemm for float64.
// On CPUs without AVX2+FMA the fallback is gonum for both.
//
// On CPUs with AVX-512 float32 products take gorgoflow's Go path, with its
// AVX-512 micro-kernel, even when OpenBLAS is loaded, unless the OpenBLAS
// in use runs AVX-512 kernels itself (its core is SkylakeX, Cooperlake or
// SapphireRapids): an OpenBLAS whose kernels stop at AVX2 (Debian's 0.3.21
// runs its Haswell kernels on AMD Zen 4 and 5) does about half the
// multiply-adds per cycle. float64 products stay with OpenBLAS.
//
// GORGOFLOW_BLAS=go forces gorgoflow's Go path (its generic Go kernel when
// the CPU lacks AVX2+FMA), GORGOFLOW_BLAS=gonum forces gonum's,
// GORGOFLOW_BLAS=openblas forces OpenBLAS for float32 too, and
// GORGOFLOW_BLAS=/path/lib.so names the library to load.
// GORGOFLOW_BLAS_SMALL=n runs products of fewer than n multiply-adds (m·n·k)
// on one thread (default 8388608), on OpenBLAS and on the Go path.
package blas

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/ebitengine/purego"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

const (
	cblasRowMajor = 101
	cblasNoTrans  = 111
	cblasTrans    = 112
)

var (
	once    sync.Once
	name    = "gonum (pure Go)"
	sgemm   func(order, ta, tb, m, n, k int32, alpha float32, a *float32, lda int32, b *float32, ldb int32, beta float32, c *float32, ldc int32)
	dgemm   func(order, ta, tb, m, n, k int32, alpha float64, a *float64, lda int32, b *float64, ldb int32, beta float64, c *float64, ldc int32)
	threads func(n int32)
)

var candidates = []string{
	"libopenblas.so.0",
	"/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
	"/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
	"/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
	"libopenblas.so",
	"libopenblas.dylib",
}

func load() {
	if v, err := strconv.ParseInt(os.Getenv("GORGOFLOW_BLAS_SMALL"), 10, 64); err == nil {
		smallMNK = v
	}
	want := os.Getenv("GORGOFLOW_BLAS")
	switch want {
	case "gonum":
		return
	case "go":
		useGo(true)
		return
	}
	paths := candidates
	if want != "" && want != "openblas" {
		paths = []string{want}
	}
	for _, p := range paths {
		lib, err := purego.Dlopen(p, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			continue
		}
		if !register(lib) {
			continue
		}
		name = "OpenBLAS (" + p + ")"
		if haveAVX512 && want != "openblas" && !openblasAVX512(lib) {
			goKern, sgemmGoFirst, parMinMNK = &kernAVX512, true, smallMNK
			name = "gorgoflow Go sgemm (AVX-512), OpenBLAS dgemm (" + p + ")"
		}
		return
	}
	useGo(false)
}

func register(lib uintptr) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
			sgemm, dgemm, threads = nil, nil, nil
		}
	}()
	if _, err := purego.Dlsym(lib, "cblas_sgemm"); err != nil {
		return false
	}
	if _, err := purego.Dlsym(lib, "cblas_dgemm"); err != nil {
		return false
	}
	purego.RegisterLibFunc(&sgemm, lib, "cblas_sgemm")
	if f, err := purego.Dlsym(lib, "sgemm_"); err == nil {
		sgemmF = f
	}
	purego.RegisterLibFunc(&dgemm, lib, "cblas_dgemm")
	if _, err := purego.Dlsym(lib, "openblas_set_num_threads"); err == nil {
		purego.RegisterLibFunc(&threads, lib, "openblas_set_num_threads")
		maxThreads = int32(runtime.GOMAXPROCS(0))
		curThreads.Store(maxThreads)
		threads(maxThreads)
	}
	return true
}

// Threading: OpenBLAS splits a product over its threads, which pays for
// large products but costs more than it saves for the small ones of a
// recurrent step (150×150×150), above all on a busy machine where a
// thread waits for a sibling that is not running. Products of fewer than
// smallMNK multiply-adds run on one thread.
var (
	maxThreads int32        = 1       // the count set by SetThreads or at load
	curThreads atomic.Int32           // the count last given to OpenBLAS
	smallMNK   int64        = 1 << 23 // 8M multiply-adds
)

// serial counts the open Serial sections.
var serial atomic.Int32

// Serial makes every product run on one OpenBLAS thread until the returned
// function is called: for callers that run products concurrently in their
// own goroutines, which would otherwise fight OpenBLAS's threads for the
// cores (and change its thread count under each other's feet).
func Serial() (end func()) {
	once.Do(load)
	serial.Add(1)
	if threads != nil && curThreads.Load() != 1 {
		curThreads.Store(1)
		threads(1)
	}
	return func() { serial.Add(-1) }
}

func pickThreads(m, n, k int) {
	if threads == nil || maxThreads <= 1 {
		return
	}
	want := maxThreads
	if int64(m)*int64(n)*int64(k) < smallMNK || serial.Load() > 0 {
		want = 1
	}
	if curThreads.Load() != want {
		curThreads.Store(want)
		threads(want)
	}
}

// sgemmGoFirst makes Sgemm take the Go path (goKern) although OpenBLAS is
// loaded.
var sgemmGoFirst bool

// openblasAVX512 reports whether the OpenBLAS loaded as lib runs AVX-512
// kernels (by the name of the core it chose).
func openblasAVX512(lib uintptr) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	f, err := purego.Dlsym(lib, "openblas_get_corename")
	if err != nil {
		return false
	}
	r, _, _ := purego.SyscallN(f)
	core := cString(r)
	for _, c := range []string{"skylakex", "cooperlake", "sapphirerapids"} {
		if strings.EqualFold(core, c) {
			return true
		}
	}
	return false
}

// cString copies the NUL-terminated C string at p.
func cString(p uintptr) string {
	if p == 0 {
		return ""
	}
	var b []byte
	for i := uintptr(0); i < 64; i++ {
		c := *(*byte)(unsafe.Add(unsafe.Pointer(nil), p+i))
		if c == 0 {
			break
		}
		b = append(b, c)
	}
	return string(b)
}

// Name says which implementation is in use.
func Name() string {
	once.Do(load)
	return name
}

// HaveOpenBLAS reports whether OpenBLAS was loaded.
func HaveOpenBLAS() bool {
	once.Do(load)
	return sgemm != nil
}

// SetThreads sets OpenBLAS's thread count, or the goroutines of one
// product on gorgoflow's Go path (no effect on the gonum path).
func SetThreads(n int) {
	once.Do(load)
	if n > 0 {
		goThreads.Store(int32(n))
	}
	if threads != nil && n > 0 {
		maxThreads = int32(n)
		curThreads.Store(int32(n))
		threads(int32(n))
	}
}

func ct(t gblas.Transpose) int32 {
	if t == gblas.NoTrans {
		return cblasNoTrans
	}
	return cblasTrans
}

// Sgemm computes C = alpha·op(A)·op(B) + beta·C on row-major float32
// matrices, op(A) m×k and op(B) k×n.
func Sgemm(tA, tB gblas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	once.Do(load)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if sgemm != nil && !sgemmGoFirst {
		pickThreads(m, n, k)
		if sgemmF != 0 {
			sgemmFortran(tA == gblas.Trans, tB == gblas.Trans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
			return
		}
		sgemm(cblasRowMajor, ct(tA), ct(tB), int32(m), int32(n), int32(k), alpha, &a[0], int32(lda), &b[0], int32(ldb), beta, &c[0], int32(ldc))
		return
	}
	if goKern != nil {
		sgemmGo(goKern, tA == gblas.Trans, tB == gblas.Trans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	blas32.Implementation().Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm is Sgemm for float64.
func Dgemm(tA, tB gblas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	once.Do(load)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if dgemm != nil {
		pickThreads(m, n, k)
		dgemm(cblasRowMajor, ct(tA), ct(tB), int32(m), int32(n), int32(k), alpha, &a[0], int32(lda), &b[0], int32(ldb), beta, &c[0], int32(ldc))
		return
	}
	blas64.Implementation().Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// HasAVX2FMA reports whether the CPU and OS support AVX2 and FMA, so that
// kernels written in Go assembly for them can run (always false with the
// purego build tag or off amd64).
func HasAVX2FMA() bool { return haveAsmKernel }

// Gemm computes c = op(a)·op(b) (alpha 1, beta 0; c row-major m×n with
// leading dimension n) for backing slices that are all []float32 or all
// []float64, as kernels hold them.
func Gemm(tA, tB gblas.Transpose, m, n, k int, a any, lda int, b any, ldb int, c any) error {
	switch cc := c.(type) {
	case []float32:
		aa, okA := a.([]float32)
		bb, okB := b.([]float32)
		if !okA || !okB {
			return fmt.Errorf("blas.Gemm: operands %T and %T do not match a result of %T", a, b, c)
		}
		Sgemm(tA, tB, m, n, k, 1, aa, lda, bb, ldb, 0, cc, n)
	case []float64:
		aa, okA := a.([]float64)
		bb, okB := b.([]float64)
		if !okA || !okB {
			return fmt.Errorf("blas.Gemm: operands %T and %T do not match a result of %T", a, b, c)
		}
		Dgemm(tA, tB, m, n, k, 1, aa, lda, bb, ldb, 0, cc, n)
	default:
		return fmt.Errorf("blas.Gemm: unsupported element type %T (want float32 or float64)", c)
	}
	return nil
}

// sgemmF is OpenBLAS's Fortran sgemm_, whose arguments are all pointers:
// called with purego.SyscallN it costs no allocation, where a function
// registered with purego.RegisterLibFunc (cblas_sgemm, whose alpha and
// beta are floats) allocates about 1 KB per call through reflect.
var sgemmF uintptr

// fortranArgs holds the scalar arguments of one sgemm_ call, in memory
// that stays put during the call (from argPool, so none is allocated in
// steady state).
type fortranArgs struct {
	ta, tb        byte
	m, n, k       int32
	lda, ldb, ldc int32
	alpha, beta   float32
}

var argPool = sync.Pool{New: func() any { return new(fortranArgs) }}

// sgemmFortran computes the row-major C = alpha·op(A)·op(B) + beta·C with
// the column-major sgemm_: the row-major m×n C is the column-major n×m Cᵀ =
// op(B)ᵀ·op(A)ᵀ, so the operands (and their flags) swap.
func sgemmFortran(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	p := argPool.Get().(*fortranArgs)
	flag := func(t bool) byte {
		if t {
			return 'T'
		}
		return 'N'
	}
	p.ta, p.tb = flag(tB), flag(tA)
	p.m, p.n, p.k = int32(n), int32(m), int32(k)
	p.lda, p.ldb, p.ldc = int32(ldb), int32(lda), int32(ldc)
	p.alpha, p.beta = alpha, beta
	purego.SyscallN(sgemmF,
		uintptr(unsafe.Pointer(&p.ta)), uintptr(unsafe.Pointer(&p.tb)),
		uintptr(unsafe.Pointer(&p.m)), uintptr(unsafe.Pointer(&p.n)), uintptr(unsafe.Pointer(&p.k)),
		uintptr(unsafe.Pointer(&p.alpha)),
		uintptr(unsafe.Pointer(&b[0])), uintptr(unsafe.Pointer(&p.lda)),
		uintptr(unsafe.Pointer(&a[0])), uintptr(unsafe.Pointer(&p.ldb)),
		uintptr(unsafe.Pointer(&p.beta)),
		uintptr(unsafe.Pointer(&c[0])), uintptr(unsafe.Pointer(&p.ldc)))
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	runtime.KeepAlive(c)
	argPool.Put(p)
}
