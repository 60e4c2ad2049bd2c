package config

import (
	"strconv"
	"strings"
)

// Problem is one mistake found in a configuration.
type Problem struct {
	File string // file name as given to Parse
	Line int    // 1-based; 0 when unknown (e.g. a value from the environment)
	Path string // key path with 0-based indexes, e.g. "units[3].category"
	Msg  string // what is wrong, in Chinese
}

// String formats the problem as "file:line: path: message", leaving out the
// parts that are unknown.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		if b.Len() > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(p.Line))
	}
	if p.Path != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(p.Path)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error makes a Problem usable as an error.
func (p Problem) Error() string { return p.String() }
