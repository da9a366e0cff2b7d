package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress draws a progress bar for one epoch on a terminal, redrawn in
// place at most ten times a second. When its output is not a terminal (a
// file or a pipe) it writes a plain line at every quarter instead, so logs
// stay readable.
type progress struct {
	w        io.Writer
	label    string
	total    int
	tty      bool
	start    time.Time
	last     time.Time
	quarter  int
	finished bool
}

func newProgress(w io.Writer, label string, total int) *progress {
	p := &progress{w: w, label: label, total: total, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb" {
			p.tty = true
		}
	}
	return p
}

// set records that n of the total steps are done.
func (p *progress) set(n int) {
	now := time.Now()
	if !p.tty {
		if q := 4 * n / p.total; q > p.quarter && q < 4 {
			p.quarter = q
			fmt.Fprintf(p.w, "%s: %d/%d steps %s\n", p.label, n, p.total, p.rate(n, now))
		}
		return
	}
	if n < p.total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	const width = 30
	fill := width * n / p.total
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d %s\x1b[K", p.label,
		strings.Repeat("=", fill), strings.Repeat(" ", width-fill), n, p.total, p.rate(n, now))
}

// rate formats the step rate and the time left.
func (p *progress) rate(n int, now time.Time) string {
	el := now.Sub(p.start)
	if n == 0 || el <= 0 {
		return ""
	}
	perSec := float64(n) / el.Seconds()
	left := time.Duration(float64(p.total-n) / perSec * float64(time.Second))
	return fmt.Sprintf("%.1f steps/s, %s left", perSec, left.Round(time.Second))
}

// done erases the bar (on a terminal), leaving the line for what follows.
func (p *progress) done() {
	if p.tty && !p.finished {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
	p.finished = true
}
