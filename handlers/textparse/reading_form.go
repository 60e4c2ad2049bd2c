package textparse

import (
	"strings"
)

func readForm(low string) string {
	switch {
	case strings.Contains(low, "警示教育会") || strings.Contains(low, "警示会"):
		return "警示教育会"
	case strings.Contains(low, "警示片") || strings.Contains(low, "警示教育片") || strings.Contains(low, "教育片") || strings.Contains(low, "警示视频"):
		return "警示片"
	}
	return ""
}

var placeVerbs = []string{"开展", "组织", "举行", "举办", "进行", "搞", "做", "张贴", "悬挂", "挂", "贴", "设置", "摆", "滚动", "播放", "集中", "召开", "放"}

// foldCase is fold without lowering letters (a place keeps LED as typed).
func foldCase(s string) []rune {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = foldRune(r)
	}
	return rs
}

// readPlace finds 地点在X / 地点：X, or 在X before an activity verb.
func readPlace(rs []rune) string {
	for i := 0; i < len(rs); i++ {
		if hasPrefixAt(rs, i, "地点") {
			j := i + 2
			for j < len(rs) && (isSpace(rs[j]) || strings.ContainsRune(":：是在为", rs[j])) {
				j++
			}
			k := j
			for k < len(rs) && !isBoundary(rs[k]) {
				k++
			}
			if k > j {
				return string(rs[j:k])
			}
		}
	}
	for i := 0; i < len(rs); i++ {
		if rs[i] != '在' || i+1 < len(rs) && strings.ContainsRune("线内外家", rs[i+1]) {
			continue
		}
		for k := i + 2; k < len(rs) && k <= i+13; k++ {
			if isBoundary(rs[k]) {
				break
			}
			if matchWordAt(rs, k, placeVerbs) > 0 {
				p := strings.TrimRight(string(rs[i+1:k]), "里上内中")
				if !strings.Contains(p, "平台") && p != "" {
					return p
				}
				break
			}
		}
	}
	return ""
}

// readPlan finds a plan revision: 修订了酒店灭火和应急疏散预案.
func readPlan(rs []rune) string {
	for i := 0; i < len(rs); i++ {
		if !hasPrefixAt(rs, i, "修订") && !hasPrefixAt(rs, i, "修改") && !hasPrefixAt(rs, i, "完善") {
			continue
		}
		for k := i + 2; k < len(rs) && k <= i+24; k++ {
			if isBoundary(rs[k]) {
				break
			}
			if hasPrefixAt(rs, k, "预案") {
				return string(rs[i : k+2])
			}
		}
	}
	for i := 0; i+4 <= len(rs); i++ {
		if hasPrefixAt(rs, i, "预案修订") || hasPrefixAt(rs, i, "预案已修订") {
			return "预案已修订"
		}
	}
	return ""
}

// isReport tells a report of something done from a question, an
// announcement or intention, or an acknowledgement.
func isReport(low string, r Reading) (bool, string) {
	t := strings.TrimRight(low, " 。.!！~")
	if strings.HasSuffix(t, "?") || containsQuestionWord(low) {
		return false, "question"
	}
	// A date after today told in the past tense (11月8日组织了…) is a report
	// with a mistaken date: the dialog says why the date is not taken.
	told := strings.Contains(low, "了") || strings.Contains(low, "已")
	if r.Future && !told || containsAny(low, futureWords) {
		return false, "future"
	}
	if containsAny(low, intentionWords) && !told {
		return false, "future"
	}
	for _, w := range ackWords {
		if strings.HasPrefix(t, w) {
			return false, "ack"
		}
	}
	if len(r.Tasks) == 0 && len(r.Kinds) == 0 {
		return false, ""
	}
	if r.People.OK || r.Materials.OK || r.Homes.OK {
		return true, ""
	}
	if r.HasDate && (containsAny(low, doneWords) || len(r.Kinds) > 0) {
		return true, ""
	}
	if strings.Contains(low, "了") && containsAny(low, doneWords) && len(r.Tasks) > 0 && !r.Tasks[0].Weak {
		return true, ""
	}
	return false, ""
}
