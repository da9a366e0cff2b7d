package figure

import (
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg/draw"
)

func TestSaveSideBySide(t *testing.T) {
	left := New("left", "Time", "Value")
	if err := Line(left, []float64{0, 1, 2}, []float64{0, 1, 0}, Blue, 3, "line"); err != nil {
		t.Fatal(err)
	}
	right := New("right", "Time", "")
	if err := Markers(right, []float64{0, 1}, []float64{1, 2}, Red, draw.CircleGlyph{}, 5, "dots"); err != nil {
		t.Fatal(err)
	}
	if err := Markers(right, []float64{0, 1}, []float64{2, 1}, color.Black, Star{}, 5, "stars"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fig.png")
	if err := Save(path, 4, 2, left, right); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// vgimg draws at 96 dots per inch.
	if b := img.Bounds(); b.Dx() != 4*96 || b.Dy() != 2*96 {
		t.Fatalf("image is %dx%d, want %dx%d", b.Dx(), b.Dy(), 4*96, 2*96)
	}
	// Both panels were drawn: blue pixels in the left half, red in the right.
	var blueLeft, redRight int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if x < b.Dx()/2 && r == 0x1f && g == 0x77 && bl == 0xb4 {
				blueLeft++
			}
			if x >= b.Dx()/2 && r == 0xd6 && g == 0x27 && bl == 0x28 {
				redRight++
			}
		}
	}
	if blueLeft == 0 || redRight == 0 {
		t.Errorf("blue pixels on the left: %d, red on the right: %d; want both > 0", blueLeft, redRight)
	}
}

func TestXYs(t *testing.T) {
	got := XYs([]float64{1, 2, 3}, []float64{4, 5})
	if len(got) != 2 || got[0].X != 1 || got[0].Y != 4 || got[1].X != 2 || got[1].Y != 5 {
		t.Errorf("XYs = %v, want [{1 4} {2 5}]", got)
	}
}
