import test from 'ava';
import { chiSquareIndependence, upperGammaQ } from '../../scripts/simulate/stats.js';

test('the chi-square tail matches tabulated critical values', (t) => {
  // 1 % critical values: df 1 -> 6.635, df 2 -> 9.210, df 4 -> 13.277; 5 %: df 2 -> 5.991
  const tail = (x: number, df: number) => upperGammaQ(df / 2, x / 2);
  t.true(Math.abs(tail(6.635, 1) - 0.01) < 1e-4);
  t.true(Math.abs(tail(9.21, 2) - 0.01) < 1e-4);
  t.true(Math.abs(tail(13.277, 4) - 0.01) < 1e-4);
  t.true(Math.abs(tail(5.991, 2) - 0.05) < 1e-4);
  t.true(Math.abs(tail(4, 2) - Math.exp(-2)) < 1e-12, 'df 2 has the closed form exp(-x/2)');
});

test('independence is not rejected for equal shares and is for a speed-ordered outcome', (t) => {
  const even = chiSquareIndependence([
    { served: 400, total: 1000 },
    { served: 240, total: 600 },
    { served: 160, total: 400 },
  ]);
  t.is(even.df, 2);
  t.true(even.p > 0.99);
  const skewed = chiSquareIndependence([
    { served: 700, total: 1000 },
    { served: 90, total: 600 },
    { served: 10, total: 400 },
  ]);
  t.true(skewed.p < 1e-10);
  t.is(
    chiSquareIndependence([
      { served: 0, total: 10 },
      { served: 0, total: 5 },
    ]).p,
    1,
  );
});
