/**
 * The first-frame baseline for `npm run bench`: the smallest full-screen Ink program, bundled exactly like the CLI.
 * The difference between its first frame and mantra-tui's is what mantra-tui itself costs at start-up.
 */
import React from 'react';
import { Box, render, Text, useApp, useInput } from 'ink';

function Hello(): React.JSX.Element {
  const { exit } = useApp();
  useInput((input) => {
    if (input === 'q') exit();
  });
  return (
    <Box width={process.stdout.columns} height={process.stdout.rows}>
      <Text>hello, 1 sessions</Text>
    </Box>
  );
}

render(<Hello />);
