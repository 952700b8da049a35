// psa-oracle: Pod Security admission's own evaluator (k8s.io/pod-security-admission, the version of the pinned
// cluster) over JSON lines, for the pack's differential test (tests/policy/psaOracle.test.ts).
//
// stdin, one object a line:  {"id": "...", "level": "baseline"|"restricted", "version": "v1.34", "metadata": {...}, "spec": <PodSpec>}
// stdout, one line per input: {"id": "...", "allowed": bool, "reasons": [ForbiddenReason...], "details": [ForbiddenDetail...]}
//
// metadata and spec are decoded as the API server decodes them (sigs.k8s.io/json: case-sensitive field names,
// unknown and duplicate fields refused) into the real k8s.io/api types; a line they cannot decode is answered with
// "reasons": ["decodeError"] and the decoder's message in "error".
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	sigsjson "sigs.k8s.io/json"
)

type input struct {
	ID       string          `json:"id"`
	Level    string          `json:"level"`
	Version  string          `json:"version"`
	Metadata json.RawMessage `json:"metadata"`
	Spec     json.RawMessage `json:"spec"`
}

type output struct {
	ID      string   `json:"id"`
	Allowed bool     `json:"allowed"`
	Reasons []string `json:"reasons"`
	Details []string `json:"details,omitempty"`
	Error   string   `json:"error,omitempty"`
}

// decodeStrict decodes like the API server with strict field validation: case-sensitive, no unknown or duplicate fields.
func decodeStrict(data []byte, v interface{}) error {
	if len(data) == 0 {
		return nil
	}
	strict, err := sigsjson.UnmarshalStrict(data, v, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	if err != nil {
		return err
	}
	if len(strict) > 0 {
		return strict[0]
	}
	return nil
}

func evaluate(evaluator policy.Evaluator, line []byte) output {
	var in input
	if err := json.Unmarshal(line, &in); err != nil {
		return output{Reasons: []string{"decodeError"}, Error: "line: " + err.Error()}
	}
	out := output{ID: in.ID, Reasons: []string{}}
	level, err := api.ParseLevel(in.Level)
	if err == nil && level == api.LevelPrivileged {
		err = fmt.Errorf("privileged admits everything")
	}
	if err != nil {
		out.Reasons, out.Error = []string{"decodeError"}, fmt.Sprintf("level %q: %v", in.Level, err)
		return out
	}
	version, err := api.ParseVersion(in.Version)
	if err != nil {
		out.Reasons, out.Error = []string{"decodeError"}, fmt.Sprintf("version %q: %v", in.Version, err)
		return out
	}
	var meta metav1.ObjectMeta
	if err := decodeStrict(in.Metadata, &meta); err != nil {
		out.Reasons, out.Error = []string{"decodeError"}, "metadata: "+err.Error()
		return out
	}
	var spec corev1.PodSpec
	if len(in.Spec) == 0 {
		out.Reasons, out.Error = []string{"decodeError"}, "spec: missing"
		return out
	}
	if err := decodeStrict(in.Spec, &spec); err != nil {
		out.Reasons, out.Error = []string{"decodeError"}, "spec: "+err.Error()
		return out
	}
	agg := policy.AggregateCheckResults(evaluator.EvaluatePod(api.LevelVersion{Level: level, Version: version}, &meta, &spec))
	out.Allowed = agg.Allowed
	if !agg.Allowed {
		out.Reasons, out.Details = agg.ForbiddenReasons, agg.ForbiddenDetails
	}
	return out
}

func main() {
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks())
	if err != nil {
		fmt.Fprintln(os.Stderr, "psa-oracle:", err)
		os.Exit(2)
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 0, 1<<20), 64<<20)
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	for in.Scan() {
		line := in.Bytes()
		if len(line) == 0 {
			continue
		}
		if err := enc.Encode(evaluate(evaluator, line)); err != nil {
			fmt.Fprintln(os.Stderr, "psa-oracle:", err)
			os.Exit(2)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "psa-oracle: reading stdin:", err)
		os.Exit(2)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "psa-oracle:", err)
		os.Exit(2)
	}
}
