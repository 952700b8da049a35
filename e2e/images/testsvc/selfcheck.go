package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// selfcheckReport is what securityContext tests assert on: identity, writability, capabilities, seccomp.
type selfcheckReport struct {
	UID            int    `json:"uid"`
	GID            int    `json:"gid"`
	Groups         []int  `json:"groups"`
	RootWritable   bool   `json:"rootWritable"` // could create a file under /
	EtcWritable    bool   `json:"etcWritable"`  // could create a file under /etc
	RootfsWritable bool   `json:"rootfsWritable"`
	TmpWritable    bool   `json:"tmpWritable"`
	CapEff         string `json:"capEff"`
	CapPrm         string `json:"capPrm"`
	CapBnd         string `json:"capBnd"`
	NoNewPrivs     string `json:"noNewPrivs"`
	Seccomp        string `json:"seccomp"` // 0 disabled, 1 strict, 2 filter
	Hostname       string `json:"hostname"`
}

func cmdSelfcheck(args []string) int {
	groups, _ := os.Getgroups()
	if groups == nil {
		groups = []int{}
	}
	status := procStatus("/proc/self/status")
	host, _ := os.Hostname()
	r := selfcheckReport{
		UID: os.Getuid(), GID: os.Getgid(), Groups: groups,
		RootWritable: canCreate("/"), EtcWritable: canCreate("/etc"), TmpWritable: canCreate(os.TempDir()),
		CapEff: status["CapEff"], CapPrm: status["CapPrm"], CapBnd: status["CapBnd"],
		NoNewPrivs: status["NoNewPrivs"], Seccomp: status["Seccomp"], Hostname: host,
	}
	r.RootfsWritable = r.RootWritable || r.EtcWritable
	b, _ := json.Marshal(r)
	fmt.Println(string(b))
	return exitOK
}

// canCreate tries a real create+remove: permission bits alone miss read-only mounts.
func canCreate(dir string) bool {
	f, err := os.CreateTemp(dir, ".testsvc-selfcheck-*")
	if err != nil {
		return false
	}
	f.Close()
	_ = os.Remove(filepath.Clean(f.Name()))
	return true
}

// procStatus reads "Key:\tvalue" lines; missing keys stay "" (e.g. Seccomp on kernels without it).
func procStatus(path string) map[string]string {
	out := map[string]string{}
	f, err := os.Open(path)
	if err != nil {
		return out
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if k, v, ok := strings.Cut(s.Text(), ":"); ok {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}
