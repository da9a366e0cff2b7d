package input_data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// idx returns the bytes of an IDX file: magic, dims, data.
func idx(magic uint32, dims []uint32, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(data)
	return b.Bytes()
}

func gzipped(data []byte) []byte {
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	z.Write(data)
	z.Close()
	return b.Bytes()
}

// tinySet describes a small MNIST-like data set: nTrain training and nTest
// test images of rows x cols pixels. Pixel k of image i of a file is
// pixel(i, k), so pixel 0 tells which image it came from; its label is
// i%10. Files hold at most 40 images.
type tinySet struct {
	nTrain, nTest, rows, cols int
}

func (s tinySet) images(n int) []byte {
	px := s.rows * s.cols
	out := make([]byte, n*px)
	for i := 0; i < n; i++ {
		for k := 0; k < px; k++ {
			out[i*px+k] = pixel(i, k)
		}
	}
	return out
}

func (s tinySet) labels(n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(i % 10)
	}
	return out
}

// files returns the four files' contents by base name, uncompressed.
func (s tinySet) files() map[string][]byte {
	r, c := uint32(s.rows), uint32(s.cols)
	return map[string][]byte{
		TrainImages: idx(imageMagic, []uint32{uint32(s.nTrain), r, c}, s.images(s.nTrain)),
		TrainLabels: idx(labelMagic, []uint32{uint32(s.nTrain)}, s.labels(s.nTrain)),
		TestImages:  idx(imageMagic, []uint32{uint32(s.nTest), r, c}, s.images(s.nTest)),
		TestLabels:  idx(labelMagic, []uint32{uint32(s.nTest)}, s.labels(s.nTest)),
	}
}

// writeFiles writes files into dir, as NAME.gz (gzipped) when gz, else as
// NAME.
func writeFiles(t testing.TB, dir string, files map[string][]byte, gz bool) {
	t.Helper()
	for name, data := range files {
		path := filepath.Join(dir, name)
		if gz {
			path += ".gz"
			data = gzipped(data)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// pixel is the value of pixel k of image i of a tinySet file.
func pixel(i, k int) byte { return byte(i + 40*k) }

// fileIndex returns which file-order image a float32 image row came from.
func fileIndex(row []float32) int {
	return int(row[0]*255 + 0.5)
}
