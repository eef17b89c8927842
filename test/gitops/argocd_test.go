package gitops

import (
	"fmt"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	lua "github.com/yuin/gopher-lua"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// argoDir holds the Argo CD health check users install.
var argoDir = filepath.Join(repoRoot, "docs", "argocd")

// healthKey is the argocd-cm key of a kind's health check.
func healthKey(kind string) string {
	return "resource.customizations.health." + v1alpha1.GroupVersion.Group + "_" + kind
}

// argoCDConfigMap reads docs/argocd/argocd-cm.yaml as kubectl would (YAML
// anchors resolved).
func argoCDConfigMap() *corev1.ConfigMap {
	raw, err := os.ReadFile(filepath.Join(argoDir, "argocd-cm.yaml"))
	Expect(err).NotTo(HaveOccurred())
	cm := &corev1.ConfigMap{}
	Expect(yaml.UnmarshalStrict(raw, cm)).To(Succeed())
	return cm
}

// argoHealth is what Argo CD's health assessment returns.
type argoHealth struct {
	status, message string
}

// runHealthScript runs a health script the way Argo CD does: the object as the
// global `obj` (JSON values as Lua values), the script's returned table read
// for status and message.
func runHealthScript(script string, u *unstructured.Unstructured) (argoHealth, error) {
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath}} {
		L.Push(L.NewFunction(lib.open))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	L.SetGlobal("obj", toLua(L, u.Object))
	if err := L.DoString(script); err != nil {
		return argoHealth{}, err
	}
	hs, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		return argoHealth{}, fmt.Errorf("the script returned %s, not a table", L.Get(-1).Type())
	}
	return argoHealth{status: lua.LVAsString(hs.RawGetString("status")), message: lua.LVAsString(hs.RawGetString("message"))}, nil
}

// toLua converts decoded JSON into Lua values, as Argo CD hands objects to scripts.
func toLua(L *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case map[string]any:
		t := L.NewTable()
		for k, item := range v {
			t.RawSetString(k, toLua(L, item))
		}
		return t
	case []any:
		t := L.NewTable()
		for _, item := range v {
			t.Append(toLua(L, item))
		}
		return t
	case string:
		return lua.LString(v)
	case bool:
		return lua.LBool(v)
	case int64:
		return lua.LNumber(v)
	case float64:
		return lua.LNumber(v)
	}
	return lua.LNil
}

var _ = Describe("Argo CD health check (docs/argocd)", func() {
	It("argocd-cm.yaml registers health.lua, unchanged, for every kind", func() {
		script, err := os.ReadFile(filepath.Join(argoDir, "health.lua"))
		Expect(err).NotTo(HaveOccurred())
		cm := argoCDConfigMap()
		for _, k := range kinds {
			Expect(cm.Data).To(HaveKeyWithValue(healthKey(k.kind), string(script)), "argocd-cm.yaml is out of step with health.lua for %s", k.kind)
		}
		Expect(cm.Data).To(HaveLen(len(kinds)))
	})

	DescribeTable("maps each state to Healthy / Progressing / Degraded / Suspended",
		func(f fixture) {
			u := stored[f.name()]
			Expect(u).NotTo(BeNil(), "fixture %s was not stored", f.name())
			health, err := runHealthScript(argoCDConfigMap().Data[healthKey(f.kind.kind)], u)
			Expect(err).NotTo(HaveOccurred())
			Expect(health.status).To(Equal(f.state.argo), "message: %s", health.message)
			Expect(health.message).NotTo(BeEmpty())
			Expect(health.message).To(ContainSubstring(f.state.argoMessage))
		},
		fixtureEntries(),
	)
})
