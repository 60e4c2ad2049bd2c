package nominate

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"firebot/campaign"
	"firebot/handlers"
	"firebot/handlers/textparse"
)

// Nominations started as people say them: "推荐 个人 王建国", "推荐 集体
// 红袖章志愿队", or a sentence such as "我想推荐我们社区的李秀英，做了5年消
// 防志愿者". What the words state (kind, name, affiliation, unit, years,
// scope, phone) fills the dialog, which then asks only for the rest.

// nominee is what a nomination text states; "" and 0 mean not stated.
type nominee struct {
	Kind, Name, Affiliation, Unit, Phone string
	Years, Scope                         int // Years -1: not stated
}

var (
	// nominateVerb finds the verb of a free-text nomination.
	nominateVerb = regexp.MustCompile(`(?:我|我们|咱们)?(?:想|要|准备|打算|希望|申请)推荐(?:一下|一位|一名|一个|一支)?`)
	// ownOrg is "我们社区的", "本单位的", "学田湾社区的" before the name.
	ownOrg = regexp.MustCompile(`^((?:我们|咱们|本|我)?[\p{Han}A-Za-z0-9]{0,12}?(?:社区|单位|小区|街道|学校|小学|中学|医院|公司|酒店|宾馆|居委会|物业|商场|企业))的`)
	// collectiveName ends like a team or organisation.
	collectiveName = regexp.MustCompile(`^([“”"\p{Han}A-Za-z0-9]{1,30}?(?:志愿服务队|志愿消防队|志愿队|消防队|巡逻队|服务队|突击队|协会|小分队|小组|团队|中心|站|队))`)
	personName     = regexp.MustCompile(`^([\p{Han}·]{2,4}?)(?:同志|老师|阿姨|大爷|师傅|大姐|大哥|奶奶|爷爷)?(?:[，,。.；;、！!\s(（]|做|担任|是|从事|在|参加|坚持|长期|多年|$)`)
	yearsSaid      = regexp.MustCompile(`(?:^|[^\d])(\d{1,2}|[一二三四五六七八九十两]{1,3})\s*(?:多|余)?\s*年`)
	phoneSaid      = regexp.MustCompile(`1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}-\d{7,8}`)
)

// scopeWords point at a scope by its position (1-based) in the default
// configuration's order; they are matched against the configured labels.
var scopeWords = map[string][]string{
	"灭火救援":   {"灭火", "救援", "扑救", "救火"},
	"宣传教育培训": {"宣传", "培训", "教育", "检查", "巡查", "演练"},
	"科研创新":   {"科研", "研发", "创新", "专利", "技术攻关"},
}

// isNominationText recognises a nomination said in a sentence.
func isNominationText(text string) bool {
	t := strings.TrimSpace(text)
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") || strings.HasSuffix(t, "吗") {
		return false
	}
	return nominateVerb.MatchString(t)
}

// parseNominee reads the arguments of 推荐 or a free-text nomination.
func parseNominee(text string, c *campaign.Campaign, units []campaign.Unit) nominee {
	n := nominee{Years: -1}
	t := strings.TrimSpace(text)
	if loc := nominateVerb.FindStringIndex(t); loc != nil {
		t = strings.TrimSpace(t[loc[1]:])
	}
	// "个人 王建国", "集体 红袖章志愿队", "个人" alone.
	if f := strings.Fields(t); len(f) > 0 && (f[0] == string(campaign.NomineeIndividual) || f[0] == string(campaign.NomineeCollective)) {
		n.Kind = f[0]
		rest := strings.TrimSpace(strings.TrimPrefix(t, f[0]))
		if rest != "" && !strings.ContainsAny(rest, "，,。；;") && textparse.CountChars(rest) <= nameMax {
			n.Name = rest
			return n
		}
		t = rest
	}
	for _, u := range units {
		if strings.Contains(t, u.Name) {
			n.Unit = u.ID
		}
	}
	if m := ownOrg.FindStringSubmatch(t); m != nil {
		n.Affiliation = m[1]
		for _, own := range []string{"我们", "咱们", "本", "我"} {
			if rest, ok := strings.CutPrefix(m[1], own); ok {
				n.Affiliation = ""
				if len(units) == 1 && strings.HasSuffix(units[0].Name, rest) {
					n.Affiliation = units[0].Name
				}
				break
			}
		}
		t = t[len(m[0]):]
	}
	switch {
	case collectiveName.MatchString(t) && n.Kind != string(campaign.NomineeIndividual):
		n.Kind = string(campaign.NomineeCollective)
		n.Name = collectiveName.FindStringSubmatch(t)[1]
	case strings.Contains(text, "集体"):
		n.Kind = string(campaign.NomineeCollective)
	default:
		if m := personName.FindStringSubmatch(t); m != nil && !notAName(m[1]) {
			n.Kind, n.Name = string(campaign.NomineeIndividual), m[1]
		}
	}
	if m := yearsSaid.FindStringSubmatch(text); m != nil {
		if y, msg := handlers.ParseAmount(m[1]); msg == "" && y <= yearsMax {
			n.Years = y
		}
	}
	if m := phoneSaid.FindString(text); m != "" {
		if p, err := textparse.ValidatePhone(m); err == nil {
			n.Phone = p
		}
	}
	if c.Nomination != nil {
		for i, sc := range c.Nomination.Scopes {
			for _, w := range scopeWords[sc.Label] {
				if n.Scope == 0 && strings.Contains(text, w) {
					n.Scope = i + 1
				}
			}
		}
	}
	return n
}

// prefill puts what n states into a new nomination's state and returns
// the words saying so ("" when nothing was understood).
func (n nominee) prefill(s *handlers.State) string {
	var said []string
	set := func(step string, field *string, v, shown string) {
		if v == "" {
			return
		}
		*field = v
		s.Done[step] = true
		if shown != "" {
			said = append(said, shown)
		}
	}
	if s.Unit == "" && slices.Contains(s.Units, n.Unit) {
		set(handlers.StepUnit, &s.Unit, n.Unit, "")
	}
	d := data(s)
	set(stepKind, &d.Kind, n.Kind, n.Kind)
	set(stepName, &d.Name, n.Name, n.Name)
	set(stepAffiliation, &d.Affiliation, n.Affiliation, n.Affiliation)
	if n.Years >= 0 {
		set(stepYears, &d.Years, strconv.Itoa(n.Years), strconv.Itoa(n.Years)+"年")
	}
	if n.Scope > 0 {
		set(stepScope, &d.Scope, strconv.Itoa(n.Scope), "")
	}
	if n.Phone != "" {
		set(stepPhone, &d.Phone, n.Phone, "电话 "+textparse.MaskPhone(n.Phone))
	}
	if len(said) == 0 {
		return ""
	}
	return "已记下：" + strings.Join(said, " · ") + "。"
}

// notAName rejects words the name pattern catches that name nobody.
func notAName(s string) bool {
	for _, w := range []string{"志愿", "一个", "一位", "一名", "人员", "大家", "居民", "同志", "消防", "社区", "单位", "个人", "集体"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
