package gitops

import (
	"os"
	"path/filepath"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

// pastTimes are the only fields a `type: date` column may show: kubectl
// prints a date column as the time since it, so a time still to come (a
// renewal, a notice deadline, a window's end) prints `<invalid>` and must be
// a string column instead.
var pastTimes = map[string]bool{
	".metadata.creationTimestamp": true,
	".status.acceptedAt":          true,
}

func TestDateColumnsShowOnlyPastTimes(t *testing.T) {
	files, err := filepath.Glob("../../config/crd/bases/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs found: %v", err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var crd apiextensionsv1.CustomResourceDefinition
		if err := yaml.Unmarshal(raw, &crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, v := range crd.Spec.Versions {
			for _, col := range v.AdditionalPrinterColumns {
				if col.Type == "date" && !pastTimes[col.JSONPath] {
					t.Errorf("%s column %q is a date column on %s, a time that can lie ahead: kubectl prints <invalid> for it", crd.Spec.Names.Kind, col.Name, col.JSONPath)
				}
			}
		}
	}
}
