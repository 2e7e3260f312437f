// N-body simulation step loop: f64 arithmetic with sqrt, struct fields.
typedef struct { double x, y, z, vx, vy, vz, m; } Body;
#define NB 5
static Body bodies[NB] = {
    {0, 0, 0, 0, 0, 0, 39.47841760435743},
    {4.84, -1.16, -0.10, 0.606, 2.81, -0.02, 0.037},
    {8.34, 4.12, -0.40, -1.01, 1.82, 0.008, 0.011},
    {12.89, -15.11, -0.22, 1.08, 0.86, -0.01, 0.0017},
    {15.37, -25.91, 0.17, 0.97, 0.59, -0.03, 0.002}};
int run(void) {
  double dt = 0.01;
  for (int step = 0; step < 200000; ++step) {
    for (int i = 0; i < NB; ++i)
      for (int j = i + 1; j < NB; ++j) {
        double dx = bodies[i].x - bodies[j].x, dy = bodies[i].y - bodies[j].y, dz = bodies[i].z - bodies[j].z;
        double d2 = dx * dx + dy * dy + dz * dz;
        double d = __builtin_sqrt(d2);
        double mag = dt / (d2 * d);
        bodies[i].vx -= dx * bodies[j].m * mag; bodies[i].vy -= dy * bodies[j].m * mag; bodies[i].vz -= dz * bodies[j].m * mag;
        bodies[j].vx += dx * bodies[i].m * mag; bodies[j].vy += dy * bodies[i].m * mag; bodies[j].vz += dz * bodies[i].m * mag;
      }
    for (int i = 0; i < NB; ++i) {
      bodies[i].x += dt * bodies[i].vx; bodies[i].y += dt * bodies[i].vy; bodies[i].z += dt * bodies[i].vz;
    }
  }
  return (int)(bodies[0].x * 1e6);
}
