package clone

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The edits are spliced into the source bytes at the places the parser
// reported, so everything else in the file stays byte for byte.

// op replaces src[at:at+del] with ins.
type op struct {
	at, del int
	ins     string
}

// source is the file being edited, by line.
type source struct {
	b      []byte
	starts []int // byte offset of each line
}

func newSource(b []byte) *source {
	s := &source{b: b, starts: []int{0}}
	for i, c := range b {
		if c == '\n' {
			s.starts = append(s.starts, i+1)
		}
	}
	return s
}

// offset is the byte offset of a 1-based line and column (in characters,
// as the parser counts them).
func (s *source) offset(line, col int) (int, bool) {
	if line < 1 || line > len(s.starts) || col < 1 {
		return 0, false
	}
	at := s.starts[line-1]
	for i := 1; i < col; i++ {
		if at >= len(s.b) || s.b[at] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRune(s.b[at:])
		at += size
	}
	return at, true
}

// lineEnd is the offset of the end of the line holding at, before any
// carriage return.
func (s *source) lineEnd(at int) int {
	i := bytes.IndexByte(s.b[at:], '\n')
	if i < 0 {
		return len(s.b)
	}
	end := at + i
	if end > at && s.b[end-1] == '\r' {
		end--
	}
	return end
}

// span is where a scalar's text lies: src[start:end] is its raw text
// (between the quotes, or the lines of a block scalar); commentAt is where
// a comment about it can go at the end of a line, or -1 when it spans
// lines and the comment must go on a line of its own above it.
func (s *source) span(n *yaml.Node) (start, end, commentAt int, ok bool) {
	pos, ok := s.offset(n.Line, n.Column)
	if !ok {
		return 0, 0, 0, false
	}
	b := s.b
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0 && pos < len(b) && b[pos] == '"':
		for i := pos + 1; i < len(b); i++ {
			switch b[i] {
			case '\\':
				i++
			case '"':
				return pos + 1, i, s.single(pos, i), true
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0 && pos < len(b) && b[pos] == '\'':
		for i := pos + 1; i < len(b); i++ {
			if b[i] == '\'' {
				if i+1 < len(b) && b[i+1] == '\'' {
					i++
					continue
				}
				return pos + 1, i, s.single(pos, i), true
			}
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && pos < len(b) && (b[pos] == '|' || b[pos] == '>'):
		head := s.lineEnd(pos)
		start = min(head+1, len(b))
		if head < len(b) && b[head] == '\r' {
			start = min(head+2, len(b))
		}
		end, indent := start, -1
		for end < len(b) {
			le := s.lineEnd(end)
			line := string(b[end:le])
			if t := strings.TrimLeft(line, " "); t != "" && t != "\r" {
				ind := len(line) - len(t)
				if indent < 0 {
					indent = ind
				} else if ind < indent {
					break
				}
			}
			end = min(le+1, len(b))
			if le < len(b) && b[le] == '\r' {
				end = min(le+2, len(b))
			}
		}
		return start, end, head, true
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0:
		if bytes.HasPrefix(b[pos:], []byte(n.Value)) {
			end := pos + len(n.Value)
			return pos, end, s.single(pos, end), true
		}
	}
	return 0, 0, 0, false
}

// single returns the end of the line of start when end is on the same
// line, or -1.
func (s *source) single(start, end int) int {
	if bytes.IndexByte(s.b[start:end], '\n') >= 0 {
		return -1
	}
	return s.lineEnd(start)
}

// apply splices every edit and review comment into src.
func (c *cloner) apply(src []byte) ([]byte, error) {
	s := newSource(src)
	var ops []op
	tail := map[int][]string{}  // line end offset → notes
	above := map[int][]string{} // line start offset → notes
	for _, e := range c.edits {
		start, end, commentAt, ok := s.span(e.node)
		if !ok {
			if e.f != nil && e.want != e.node.Value {
				e.notes = append(e.notes, fmt.Sprintf("未能自动修改，请手工改为 %q", e.want))
				e.f, e.want = nil, e.node.Value
			}
			commentAt = -1
		}
		if e.f != nil && e.want != e.node.Value {
			raw := string(src[start:end])
			if nr := e.f(raw); nr != raw {
				ops = append(ops, op{at: start, del: end - start, ins: nr})
			}
		}
		if len(e.notes) == 0 {
			continue
		}
		if commentAt >= 0 {
			tail[commentAt] = append(tail[commentAt], e.notes...)
		} else {
			ls := s.starts[max(e.node.Line, 1)-1]
			above[ls] = append(above[ls], e.notes...)
		}
	}
	for at, notes := range tail {
		ops = append(ops, op{at: at, ins: "  # " + joinNotes(notes)})
	}
	for at, notes := range above {
		le := s.lineEnd(at)
		line := string(src[at:le])
		indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
		ops = append(ops, op{at: at, ins: indent + "# " + joinNotes(notes) + "\n"})
	}
	// In file order; at one offset an insertion goes before a replacement
	// starting there.
	sort.SliceStable(ops, func(i, j int) bool {
		if ops[i].at != ops[j].at {
			return ops[i].at < ops[j].at
		}
		return ops[i].del < ops[j].del
	})
	var out bytes.Buffer
	out.Grow(len(src) + 64*len(ops))
	cursor := 0
	for _, o := range ops {
		if o.at < cursor {
			return nil, fmt.Errorf("clone: overlapping edits at byte %d", o.at)
		}
		out.Write(src[cursor:o.at])
		out.WriteString(o.ins)
		cursor = o.at + o.del
	}
	out.Write(src[cursor:])
	return out.Bytes(), nil
}

// commentLines lists the lines whose comment mentions one of years.
// Comments are never edited; the command points at these instead.
func commentLines(src []byte, years map[int]bool) []int {
	var out []int
	for i, line := range strings.Split(string(src), "\n") {
		if c := comment(line); c != "" && yearIn(c, years) != 0 {
			out = append(out, i+1)
		}
	}
	return out
}

// comment returns the comment of a line: from a '#' at its start or after
// a blank, outside quotes. (A '#' in a block scalar's text is taken for a
// comment too; the result is only a hint.)
func comment(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '"' || c == '\'':
			if i == 0 || strings.ContainsRune(" \t:[{,-", rune(line[i-1])) {
				quote = c
			}
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return line[i:]
		}
	}
	return ""
}

// verify parses out and checks that it is the old tree with exactly the
// intended values changed.
func (c *cloner) verify(old *yaml.Node, out []byte) error {
	var got yaml.Node
	if err := yaml.Unmarshal(out, &got); err != nil {
		return fmt.Errorf("clone: the new file does not parse: %w", err)
	}
	var cmp func(a, b *yaml.Node) error
	cmp = func(a, b *yaml.Node) error {
		if a.Kind != b.Kind || len(a.Content) != len(b.Content) {
			return fmt.Errorf("clone: the new file's structure differs at line %d", a.Line)
		}
		want := a.Value
		if e := c.byNode[a]; e != nil {
			want = e.want
		}
		if a.Kind == yaml.ScalarNode && b.Value != want {
			return fmt.Errorf("clone: line %d came out as %q, want %q", a.Line, b.Value, want)
		}
		for i := range a.Content {
			if err := cmp(a.Content[i], b.Content[i]); err != nil {
				return err
			}
		}
		return nil
	}
	return cmp(old, &got)
}
