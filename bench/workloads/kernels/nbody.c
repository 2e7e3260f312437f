// Floating point with sqrt: the n-body simulation (5 bodies).

typedef struct { double x, y, z, vx, vy, vz, m; } Body;
static const Body initial[5] = {
    {0, 0, 0, 0, 0, 0, 39.47841760435743},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01, 6.06326392995832e-01, 2.81198684491626e+00, -2.52183616598876e-02, 3.7693674870389486e-02},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01, -1.01077434617763e+00, 1.82566237123041e+00, 8.41576137658415e-03, 1.1286326131968767e-02},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01, 1.08279101623130e+00, 8.68713018169608e-01, -1.01086442681740e-02, 1.7237240570597112e-03},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01, 9.79090732243898e-01, 5.94698998647676e-01, -3.47559555040781e-02, 2.0336868699246304e-03}};
static Body bodies[5];
int run(void) {
  for (int i = 0; i < 5; ++i) bodies[i] = initial[i];  // every run does the same work
  for (int step = 0; step < 3000000; ++step) {
    for (int i = 0; i < 5; ++i)
      for (int j = i + 1; j < 5; ++j) {
        double dx = bodies[i].x - bodies[j].x, dy = bodies[i].y - bodies[j].y, dz = bodies[i].z - bodies[j].z;
        double d2 = dx * dx + dy * dy + dz * dz;
        double mag = 0.01 / (d2 * __builtin_sqrt(d2));
        bodies[i].vx -= dx * bodies[j].m * mag; bodies[i].vy -= dy * bodies[j].m * mag; bodies[i].vz -= dz * bodies[j].m * mag;
        bodies[j].vx += dx * bodies[i].m * mag; bodies[j].vy += dy * bodies[i].m * mag; bodies[j].vz += dz * bodies[i].m * mag;
      }
    for (int i = 0; i < 5; ++i) {
      bodies[i].x += 0.01 * bodies[i].vx; bodies[i].y += 0.01 * bodies[i].vy; bodies[i].z += 0.01 * bodies[i].vz;
    }
  }
  return (int)(bodies[1].x * 1000);
}
