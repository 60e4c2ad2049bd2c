package textparse

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// A small vocabulary in the shape of config.example.yaml's tasks: a
// community's tasks (no generic 演练 keyword for its drill) and an
// organisation's.
var (
	termPublicity = TaskTerms{ID: "publicity", Name: "主题宣传活动", Keywords: []string{"主题宣传", "宣传活动", "消防宣传", "宣传"}}
	termAllHands  = TaskTerms{ID: "all_hands", Name: "全员应急疏散演练", Keywords: []string{"全员应急疏散演练", "全员疏散演练", "全员演练", "应急疏散演练", "应急演练"}}
	termDrill     = TaskTerms{ID: "drill", Name: "疏散演练", Keywords: []string{"疏散演练", "消防演练", "演练"}}
	termTraining  = TaskTerms{ID: "training", Name: "消防安全培训（三个一）", Keywords: []string{"消防安全培训", "消防常识", "全员培训", "培训"}}
	termSpecial   = TaskTerms{ID: "special", Name: "专项能力培训", Keywords: []string{"专项能力培训", "专项培训", "能力培训"}}
	termPlan      = TaskTerms{ID: "plan", Name: "疏散演练及预案修订（三个一）", Keywords: []string{"预案修订", "修订预案", "预案"}, Fields: []string{"参演人数", "预案修订情况"}}
	termCloud     = TaskTerms{ID: "cloud", Name: "全民消防安全学习云平台注册学习", Keywords: []string{"学习云平台", "云平台", "注册学习", "在线学习"}}
	termFour      = TaskTerms{ID: "four", Name: "“四个一”消防体验", Keywords: []string{"四个一", "疏散通道", "消防设施", "家庭隐患", "科普教育基地", "消防体验"}}
	termMaterials = TaskTerms{ID: "materials", Name: "宣传氛围营造", Keywords: []string{"宣传氛围", "氛围", "横幅", "海报", "LED", "宣传栏", "灯箱"},
		Options: []string{"灯箱", "广告牌", "宣传栏", "LED屏", "横幅", "海报", "夜间巡逻喊话"}}
	termWarning = TaskTerms{ID: "warning", Name: "警示教育（三个一）", Keywords: []string{"警示教育", "警示片", "警示教育会", "三个一"}, Fields: []string{"参加人数", "形式（警示教育会或警示片）"}}

	community    = []TaskTerms{termPublicity, termAllHands, termCloud, termFour, termMaterials}
	organisation = []TaskTerms{termPublicity, termDrill, termAllHands, termSpecial, termWarning, termTraining, termPlan, termCloud, termMaterials}
)

var readDay = time.Date(2023, 11, 20, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

func TestRead(t *testing.T) {
	tests := []struct {
		name      string
		tasks     []TaskTerms
		text      string
		task      string // "" : no single task
		date      string // MM-DD, "" none
		people    int    // 0: none
		from      string // People.From
		materials int
		kinds     string
		report    bool
	}{
		{"generic drill in a community", community, "今天上午我们社区组织了疏散演练，80人参加", "all_hands", "11-20", 80, "", 0, "", true},
		{"drill word in an organisation", organisation, "昨天组织了消防演练，参演120人", "drill", "11-19", 120, "", 0, "", true},
		{"a task named inside a longer name", organisation, "今天全员应急疏散演练 员工60人", "all_hands", "11-20", 60, "", 0, "", true},
		{"correction later wins", organisation, "上周四组织员工搞了消防安全培训 两百人 不对，是90人", "training", "11-16", 90, "是90人", 0, "", true},
		{"instructors are not participants", organisation, "请了消防站2名教官授课，全体职工68人参训", "training", "", 68, "", 0, "", true},
		{"total over parts", community, "居民80人，志愿者12人，共92人参加了今天的全员疏散演练", "all_hands", "11-20", 92, "共92人", 0, "", true},
		{"sum of parts", organisation, "员工18人，住客22人，昨天应急疏散演练", "all_hands", "11-19", 40, "员工18人+住客22人", 0, "", true},
		{"negated value", community, "上周六社区消防宣传，参加人数是120，不是102", "publicity", "11-18", 120, "", 0, "", true},
		{"approximation", community, "前天在广场做了消防宣传活动，来了差不多90个人", "publicity", "11-18", 90, "", 0, "", true},
		{"多 after a Chinese numeral", community, "昨天搞了消防宣传，来了八十多人😊", "publicity", "11-19", 80, "", 0, "", true},
		{"registrations counted in 个", community, "上周六组织居民在云平台注册学习，一共注册了87个", "cloud", "11-18", 87, "", 0, "", true},
		{"classes and minutes are not people", organisation, "今天学校开展消防宣传，全校24个班级960名学生参与，用时5分钟", "publicity", "11-20", 960, "", 0, "", true},
		{"vehicles are not people", organisation, "11月16号开展消防演练，约800人参与疏散，消防车3台到场", "drill", "11-16", 800, "", 0, "", true},
		{"leaflets are not people", community, "今天开展消防宣传活动，发放资料300份，群众约150人参与", "publicity", "11-20", 150, "", 0, "", true},
		{"materials beat generic publicity", community, "今天在社区张贴消防宣传海报30张", "materials", "11-20", 0, "", 30, "海报", true},
		{"materials summed with kinds", organisation, "大堂挂了横幅5条 贴海报20张 1块LED屏滚动播放标语", "materials", "", 0, "", 26, "横幅、海报、LED屏", true},
		{"materials total", community, "今天宣传栏更新了消防内容，另外挂了3条横幅，一共4处", "materials", "11-20", 0, "", 4, "宣传栏、横幅", true},
		{"a material counted in 个", community, "小区宣传栏1个换上了消防知识，另外挂横幅2条", "materials", "", 0, "", 3, "宣传栏、横幅", true},
		{"电子屏 is an LED screen", organisation, "大厅电子屏2块播放消防公益广告，昨天开始的", "materials", "11-19", 0, "", 2, "LED屏", true},
		{"patrol shouting without a count", community, "晚上网格员在小区里巡逻喊话宣传防火，上周六开始的", "materials", "11-18", 0, "", 0, "夜间巡逻喊话", true},
		{"revised plan points at its task", organisation, "上周五修订了灭火和应急疏散预案，当天组织全员疏散演练，员工九十人参加", "plan", "11-17", 90, "", 0, "", true},
		{"号人 after 来", community, "社区今天搞了疏散演练，来了50来号人", "all_hands", "11-20", 50, "", 0, "", true},
		{"a label with a colon", organisation, "昨天组织员工观看警示教育片 参加人数：27", "warning", "11-19", 27, "", 0, "", true},
		{"几 after a numeral is not a question", organisation, "昨天消防培训参加的有二十几个", "training", "11-19", 20, "", 0, "", true},
		{"a subset is not added", organisation, "11.16日消防安全培训 员工60人 其中新员工12人", "training", "11-16", 60, "", 0, "", true},
		{"expected attendance is not added", organisation, "昨天组织全体员工消防安全培训，应到50人，实到48人", "training", "11-19", 48, "", 0, "", true},
		{"ages, times and phone numbers are not counts", community, "联系人13812345678，今天下午2点半组织70岁以上老人30人开展消防宣传", "publicity", "11-20", 30, "", 0, "", true},
		{"parts after a total are added", community, "社区今天在各楼栋张贴海报共计120张，横幅10条", "materials", "11-20", 0, "", 130, "海报、横幅", true},
		{"people after a total are a part of it", organisation, "上周二组织员工消防安全培训，共有15人参加，考核合格15人", "training", "11-14", 15, "", 0, "", true},
		{"done according to plan", community, "昨天按计划开展了全员应急疏散演练，参演居民75人", "all_hands", "11-19", 75, "", 0, "", true},
		{"演习 is a drill", community, "今天社区搞了消防演习，居民60人", "all_hands", "11-20", 60, "", 0, "", true},
		{"a lecture is a training", organisation, "昨天请消防站教官给员工开了消防讲座，到会40人", "training", "11-19", 40, "", 0, "", true},
		{"announcement", community, "明天上午9点社区要搞消防演练，请大家准时参加", "all_hands", "11-21", 0, "", 0, "", false},
		{"intention", organisation, "我们学校打算下周三搞疏散演练，大概1200人", "drill", "11-29", 1200, "", 0, "", false},
		{"question", organisation, "培训需要多少人参加才算完成？", "training", "", 0, "", 0, "", false},
		{"acknowledgement", community, "收到，演练照片晚点发", "all_hands", "", 0, "", 0, "", false},
		{"no task", community, "今天天气不错，80人", "", "11-20", 80, "", 0, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Read(tc.text, tc.tasks, readDay)
			id, _ := r.Task()
			if id != tc.task {
				t.Errorf("task %q, want %q (%s)", id, tc.task, r.Summary())
			}
			date := ""
			if r.HasDate {
				date = r.Date.Format("01-02")
			}
			if date != tc.date {
				t.Errorf("date %q, want %q", date, tc.date)
			}
			if got := r.People.Value; r.People.OK != (tc.people > 0) || got != tc.people {
				t.Errorf("people %d (%v), want %d (%s)", got, r.People.OK, tc.people, r.Summary())
			}
			if tc.from != "" && r.People.From != tc.from {
				t.Errorf("people from %q, want %q", r.People.From, tc.from)
			}
			if got := r.Materials.Value; r.Materials.OK != (tc.materials > 0) || got != tc.materials {
				t.Errorf("materials %d, want %d (%s)", got, tc.materials, r.Summary())
			}
			if got := strings.Join(r.Kinds, "、"); got != tc.kinds {
				t.Errorf("kinds %q, want %q", got, tc.kinds)
			}
			if r.Report != tc.report {
				t.Errorf("report %v, want %v (%s)", r.Report, tc.report, r.Summary())
			}
		})
	}
}

func TestReadOptionalFields(t *testing.T) {
	r := Read("上周五晚上组织员工看了警示片，35人，地点在三楼会议室", organisation, readDay)
	if r.Form != "警示片" || r.Place != "三楼会议室" {
		t.Errorf("form %q place %q", r.Form, r.Place)
	}
	r = Read("医院上周五召开火灾警示教育会，参会职工60人", organisation, readDay)
	if r.Form != "警示教育会" {
		t.Errorf("form %q", r.Form)
	}
	r = Read("昨天修订了酒店灭火和应急疏散预案，并组织演练，员工24人", organisation, readDay)
	if r.Plan != "修订了酒店灭火和应急疏散预案" {
		t.Errorf("plan %q", r.Plan)
	}
	r = Read("今天在学校操场开展疏散演练，1200人", organisation, readDay)
	if r.Place != "学校操场" {
		t.Errorf("place %q", r.Place)
	}
	r = Read("今天在社区LED屏上滚动播放消防宣传标语", community, readDay)
	if r.Place != "社区LED屏" {
		t.Errorf("place %q", r.Place)
	}
}

func TestReadFourOnes(t *testing.T) {
	fields := []string{"走一次疏散通道人数", "熟悉一次消防设施人数", "检查一次家庭火灾隐患户数", "参观一次消防科普教育基地人数"}
	for _, text := range []string{
		"四个一活动：走疏散通道120人，熟悉消防设施95人，检查家庭隐患60户，参观科普基地30人",
		"检查家庭隐患60户，参观科普教育基地30人，熟悉消防器材设施95人，走疏散通道120人",
		"四个一 疏散通道走了120人 消防设施熟悉了95人 家庭隐患查了60户 科普基地参观30人",
	} {
		r := Read(text, community, readDay)
		if id, _ := r.Task(); id != "four" {
			t.Errorf("%q: task %q", text, id)
		}
		got := r.Assign(fields)
		want := map[int]int{0: 120, 1: 95, 2: 60, 3: 30}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%q: %s = %d, want %d (%v)", text, fields[k], got[k], v, got)
			}
		}
	}
}

func TestReadAmbiguousTasks(t *testing.T) {
	// Two tasks no keyword names, both by their generic head: a tie.
	tasks := []TaskTerms{termSpecial, {ID: "skills", Name: "职业技能培训", Keywords: []string{"职业技能培训", "技能培训"}}}
	r := Read("昨天给保安上了一课，参训12人", tasks, readDay)
	if _, ok := r.Task(); ok {
		t.Fatalf("one task stands out: %s", r.Summary())
	}
	if tied := r.Tied(); !slices.Equal(tied, []string{"special", "skills"}) {
		t.Errorf("tied %v", tied)
	}
}

func TestReadNeverPanics(t *testing.T) {
	for _, s := range []string{"", " ", "共", "不对", "不是", "１", "第3", "一", "个", "4个一", "改成", "约多来", "12345678901234567890人", "0人", "﹖"} {
		Read(s, organisation, readDay)
	}
}

func BenchmarkRead(b *testing.B) {
	texts := []string{
		"上周四组织员工搞了消防安全培训 两百人 不对，是90人",
		"大厦一楼大堂挂了横幅5条 贴海报20张 1块LED屏滚动播放标语",
		"昨天社区开展四个一消防体验活动，走疏散通道70人，熟悉消防器材70人，排查家庭火灾隐患35户，参观科普教育基地0人",
		"宾馆11月10日组织全体员工和住客开展了应急疏散演练，员工18人，住客22人",
	}
	v := NewVocabulary(organisation)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ReadWith(texts[i%len(texts)], v, readDay)
	}
}
