#include "benchmarks/machine.h"

#include <sys/utsname.h>

#include <fstream>

#include "benchmarks/bench_util.h"

namespace vecdb::bench {

nlohmann::json MachineInfo() {
  nlohmann::json m;
  std::ifstream cpu("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpu, line)) {
    if (line.rfind("model name", 0) == 0) {
      m["cpu"] = line.substr(line.find(':') + 2);
      break;
    }
  }
  m["hardware_threads"] = HardwareThreads();
  std::ifstream mem("/proc/meminfo");
  while (std::getline(mem, line)) {
    if (line.rfind("MemTotal:", 0) == 0) {
      m["mem_total_mb"] = std::stoull(line.substr(9)) / 1024;
      break;
    }
  }
  utsname u;
  if (uname(&u) == 0) m["kernel"] = std::string(u.sysname) + " " + u.release;
  return m;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

}  // namespace vecdb::bench
